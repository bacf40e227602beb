/*
 * libxlu_cfg_i.h - state shared by the xl.cfg scanner, parser and the
 * functions building the configuration from what they recognise.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

#ifndef LIBXLU_CFG_I_H
#define LIBXLU_CFG_I_H

#include "libxlu_internal.h"
#include "libxlu_cfg_y.h"

/* flex's bison bridge wants bison's unprefixed type names. */
#define YYSTYPE XLU__CFG_YYSTYPE
#define YYLTYPE XLU__CFG_YYLTYPE

/* Lists nested deeper than this are refused (keeps recursion bounded). */
#define XLU_CFG_MAX_DEPTH 256

/* Longest token text remembered for diagnostics. */
#define XLU_CFG_TOKTEXT 40

typedef struct CfgParseContext {
    XLU_Config *cfg;
    void *scanner;
    int err;            /* first failure, an errno value; 0 while all is ok */
    int line, column;   /* where the scanner's next character is */
    int depth;          /* '[' seen minus ']' seen */
    int likely_python;  /* saw a character that suggests Python syntax */
    int read_errno;     /* reading the input file failed with this */
    /* The last two tokens scanned: the parser's lookahead and the one
     * before it, for "expected X after Y, found Z" messages. */
    int prev_tok, cur_tok;
    char prev_text[XLU_CFG_TOKTEXT + 4], cur_text[XLU_CFG_TOKTEXT + 4];
} CfgParseContext;

/* Scanner helpers (libxlu_cfg.c). */
void xlu__cfgl_advance(CfgParseContext *ctx, YYLTYPE *loc, const char *text,
                       int len);
void xlu__cfgl_token(CfgParseContext *ctx, int tok, const char *text,
                     int len);
char *xlu__cfgl_strdup(CfgParseContext *ctx, const char *text);
char *xlu__cfgl_dequote(CfgParseContext *ctx, const char *text, int len,
                        const YYLTYPE *loc);
void xlu__cfgl_badchar(CfgParseContext *ctx, const YYLTYPE *loc,
                       const char *text, int len);

/* Diagnostics: "source:line:column: <kind>: <message>" to the report. */
void xlu__cfg_report(CfgParseContext *ctx, int err, int line, int column,
                     const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* A printable, truncated rendering of token text, for messages. */
void xlu__cfg_quote_text(char *buf, size_t bufsz, const char *text, int len);

/* Parser actions (libxlu_cfg.c). On failure they record ctx->err, free
 * what they were given and return NULL / nonzero. */
XLU_ConfigValue *xlu__cfg_string_mk(CfgParseContext *ctx, char *atom,
                                    const YYLTYPE *loc);
XLU_ConfigValue *xlu__cfg_list_mk(CfgParseContext *ctx,
                                  XLU_ConfigValue *first,
                                  const YYLTYPE *loc);
int xlu__cfg_list_append(CfgParseContext *ctx, XLU_ConfigValue *list,
                         XLU_ConfigValue *val);
int xlu__cfg_set_store(CfgParseContext *ctx, char *name,
                       enum XLU_Operation op, XLU_ConfigValue *val,
                       const YYLTYPE *name_loc, const YYLTYPE *op_loc);

#endif /* LIBXLU_CFG_I_H */
