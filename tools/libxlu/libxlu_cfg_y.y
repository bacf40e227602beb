/*
 * libxlu_cfg_y.y - grammar of xl domain configuration files (xl.cfg(5)).
 *
 *   file       := { statement } [ setting ]
 *   statement  := [ setting ] ( newline | ';' )
 *   setting    := NAME ( '=' | '+=' ) value
 *   value      := STRING | NUMBER | '[' items ']'
 *   items      := empty | value { ',' value } [ ',' ]
 *
 * Inside brackets newlines may appear anywhere between tokens. The first
 * error stops the parse; its message says what was expected where.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

%code requires {
#include "libxlu_internal.h"
typedef struct CfgParseContext CfgParseContext;
}

%code {
#include "libxlu_cfg_i.h"
#include "libxlu_cfg_l.h"

/* The scanner is reached through the parse context. */
#define XLU_CFG_SCANNER (ctx->scanner)

static void xlu__cfg_yyerror(const YYLTYPE *loc, CfgParseContext *ctx,
                             const char *msg);
}

%define api.prefix {xlu__cfg_yy}
%define api.pure full
%define parse.error custom
%define parse.lac full
%locations
%parse-param {CfgParseContext *ctx}
%lex-param {void *XLU_CFG_SCANNER}

%union {
    char *string;
    XLU_ConfigValue *value;
}

%token <string> IDENT "setting name"
%token <string> STRING "string"
%token <string> NUMBER "number"
%token NEWLINE "newline"
%token OP_ADD "+="
%token EQUALS "="
%token SEMICOLON ";"
%token COMMA ","
%token LBRACKET "["
%token RBRACKET "]"
/* Returned by the scanner after it has reported a lexical error. */
%token LEXERROR

%type <value> value list items

%destructor { free($$); } <string>
%destructor { xlu__cfg_value_free($$); } <value>

%%

file:
        statements
    |   statements setting
    ;

statements:
        %empty
    |   statements statement
    ;

statement:
        setting end
    |   end
    ;

end:
        NEWLINE
    |   SEMICOLON
    ;

setting:
        IDENT EQUALS value {
            if (xlu__cfg_set_store(ctx, $1, XLU_OP_ASSIGNMENT, $3,
                                   &@1, &@2))
                YYABORT;
        }
    |   IDENT OP_ADD value {
            if (xlu__cfg_set_store(ctx, $1, XLU_OP_ADDITION, $3,
                                   &@1, &@2))
                YYABORT;
        }
    ;

value:
        STRING {
            $$ = xlu__cfg_string_mk(ctx, $1, &@1);
            if (!$$) YYABORT;
        }
    |   NUMBER {
            $$ = xlu__cfg_string_mk(ctx, $1, &@1);
            if (!$$) YYABORT;
        }
    |   LBRACKET newlines items RBRACKET {
            $$ = $3;
            $$->loc.line = @1.first_line;
            $$->loc.column = @1.first_column;
        }
    ;

items:
        %empty {
            $$ = xlu__cfg_list_mk(ctx, NULL, &@$);
            if (!$$) YYABORT;
        }
    |   list
    |   list COMMA newlines
    ;

list:
        value newlines {
            $$ = xlu__cfg_list_mk(ctx, $1, &@1);
            if (!$$) YYABORT;
        }
    |   list COMMA newlines value newlines {
            $$ = $1;
            if (xlu__cfg_list_append(ctx, $$, $4)) YYABORT;
        }
    ;

newlines:
        %empty
    |   newlines NEWLINE
    ;

%%

static void xlu__cfg_yyerror(const YYLTYPE *loc, CfgParseContext *ctx,
                             const char *msg)
{
    /* Only reached for parser stack exhaustion. */
    xlu__cfg_report(ctx, ENOMEM, loc->first_line, loc->first_column,
                    "error", "%s", msg);
}

/* Describes a token kind and its text, for "found ..." / "after ...". */
static void describe(char *buf, size_t sz, yysymbol_kind_t kind,
                     const char *text)
{
    switch (kind) {
    case YYSYMBOL_YYEOF:
        snprintf(buf, sz, "end of file");
        break;
    case YYSYMBOL_NEWLINE:
        snprintf(buf, sz, "end of line");
        break;
    case YYSYMBOL_IDENT:
        snprintf(buf, sz, "name `%s'", text);
        break;
    case YYSYMBOL_NUMBER:
        snprintf(buf, sz, "number `%s'", text);
        break;
    case YYSYMBOL_STRING:
        snprintf(buf, sz, "string %s", text);
        break;
    default:
        snprintf(buf, sz, "'%s'", text);
        break;
    }
}

/* Maps the scanner's token numbers to the parser's symbol kinds. */
static yysymbol_kind_t symbol_of_token(int tok)
{
    return YYTRANSLATE(tok);
}

static int yyreport_syntax_error(const yypcontext_t *pctx,
                                 CfgParseContext *ctx)
{
    yysymbol_kind_t found = yypcontext_token(pctx);
    const YYLTYPE *loc = yypcontext_location(pctx);
    yysymbol_kind_t exp[YYNTOKENS];
    int nexp, i;
    int want_value = 0, want_name = 0, want_op = 0, want_comma = 0;
    int want_close = 0, want_end = 0;
    const char *parts[6];
    int nparts = 0;
    char expected[128], after[XLU_CFG_TOKTEXT + 32];
    char found_desc[XLU_CFG_TOKTEXT + 32];

    if (found == YYSYMBOL_LEXERROR)
        return 0; /* the scanner has already said what is wrong */

    nexp = yypcontext_expected_tokens(pctx, exp, YYNTOKENS);
    for (i = 0; i < nexp; i++) {
        switch (exp[i]) {
        case YYSYMBOL_STRING:
        case YYSYMBOL_NUMBER:
        case YYSYMBOL_LBRACKET: want_value = 1; break;
        case YYSYMBOL_IDENT: want_name = 1; break;
        case YYSYMBOL_EQUALS:
        case YYSYMBOL_OP_ADD: want_op = 1; break;
        case YYSYMBOL_COMMA: want_comma = 1; break;
        case YYSYMBOL_RBRACKET: want_close = 1; break;
        case YYSYMBOL_YYEOF:
        case YYSYMBOL_NEWLINE:
        case YYSYMBOL_SEMICOLON: want_end = 1; break;
        default: break;
        }
    }
    /* Newlines are welcome anywhere inside a list, and a statement may
     * always be empty: neither is worth mentioning then. */
    if (want_comma || want_close || want_name)
        want_end = 0;

    if (want_name) parts[nparts++] = "a setting name";
    if (want_op) parts[nparts++] = "'=' or '+='";
    if (want_value) parts[nparts++] = "a value";
    if (want_comma) parts[nparts++] = "','";
    if (want_close) parts[nparts++] = "']'";
    if (want_end) parts[nparts++] = "end of line or ';'";

    expected[0] = 0;
    for (i = 0; i < nparts; i++) {
        size_t l = strlen(expected);
        snprintf(expected + l, sizeof(expected) - l, "%s%s",
                 i == 0 ? "" : i == nparts - 1 ? " or " : ", ", parts[i]);
    }

    after[0] = 0;
    if (ctx->prev_tok > 0 && ctx->prev_tok != NEWLINE) {
        char d[XLU_CFG_TOKTEXT + 16];
        describe(d, sizeof(d), symbol_of_token(ctx->prev_tok),
                 ctx->prev_text);
        snprintf(after, sizeof(after), " after %s", d);
    }
    describe(found_desc, sizeof(found_desc), found, ctx->cur_text);

    xlu__cfg_report(ctx, EINVAL, loc->first_line, loc->first_column,
                    "syntax error", "expected %s%s, found %s",
                    nparts ? expected : "something else", after,
                    found_desc);
    return 0;
}
