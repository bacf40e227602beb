/*
 * libxlu_cfg.c - reading xl domain configuration files: setup, the
 * helpers the scanner and parser call, and building the settings.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>

#include "libxlu_cfg_i.h"
#include "libxlu_cfg_l.h"

XLU_Config *xlu_cfg_init(FILE *report, const char *report_filename)
{
    XLU_Config *cfg = calloc(1, sizeof(*cfg));

    if (!cfg)
        return NULL;
    cfg->report = report;
    cfg->config_source = strdup(report_filename ? report_filename : "");
    if (!cfg->config_source) {
        free(cfg);
        return NULL;
    }
    return cfg;
}

void xlu__cfg_value_free(XLU_ConfigValue *value)
{
    int i;

    if (!value)
        return;
    if (value->type == XLU_STRING) {
        free(value->u.string);
    } else {
        for (i = 0; i < value->u.list.nvalues; i++)
            xlu__cfg_value_free(value->u.list.values[i]);
        free(value->u.list.values);
    }
    free(value);
}

static void setting_free(XLU_ConfigSetting *set)
{
    free(set->name);
    xlu__cfg_value_free(set->value);
    free(set);
}

void xlu_cfg_destroy(XLU_Config *cfg)
{
    XLU_ConfigSetting *set, *next;

    if (!cfg)
        return;
    for (set = cfg->settings; set; set = next) {
        next = set->next;
        setting_free(set);
    }
    free(cfg->buckets);
    free(cfg->config_source);
    free(cfg);
}

/*----- diagnostics -----*/

void xlu__cfg_report(CfgParseContext *ctx, int err, int line, int column,
                     const char *kind, const char *fmt, ...)
{
    va_list ap;

    /* The first problem stops the parse: report only that one. */
    if (ctx->err)
        return;
    ctx->err = err;
    if (!ctx->cfg->report)
        return;
    fprintf(ctx->cfg->report, "%s:%d:%d: %s: ", ctx->cfg->config_source,
            line, column, kind);
    va_start(ap, fmt);
    vfprintf(ctx->cfg->report, fmt, ap);
    va_end(ap);
    fputc('\n', ctx->cfg->report);
}

void xlu__cfg_quote_text(char *buf, size_t bufsz, const char *text, int len)
{
    size_t o = 0;
    int i;

    assert(bufsz >= 8);
    for (i = 0; i < len; i++) {
        unsigned char c = text[i];

        if (o + 8 > bufsz) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (isprint(c))
            buf[o++] = c;
        else if (c == '\t')
            o += sprintf(buf + o, "\\t");
        else
            o += sprintf(buf + o, "\\x%02x", c);
    }
    buf[o] = 0;
}

/*----- scanner helpers -----*/

void xlu__cfgl_advance(CfgParseContext *ctx, YYLTYPE *loc, const char *text,
                       int len)
{
    int i;

    loc->first_line = ctx->line;
    loc->first_column = ctx->column;
    for (i = 0; i < len; i++) {
        if (text[i] == '\n') {
            ctx->line++;
            ctx->column = 1;
        } else {
            ctx->column++;
        }
    }
    loc->last_line = ctx->line;
    loc->last_column = ctx->column;
}

void xlu__cfgl_token(CfgParseContext *ctx, int tok, const char *text,
                     int len)
{
    ctx->prev_tok = ctx->cur_tok;
    memcpy(ctx->prev_text, ctx->cur_text, sizeof(ctx->prev_text));
    ctx->cur_tok = tok;
    xlu__cfg_quote_text(ctx->cur_text, sizeof(ctx->cur_text), text, len);
}

char *xlu__cfgl_strdup(CfgParseContext *ctx, const char *text)
{
    char *r = strdup(text);

    if (!r)
        ctx->err = ENOMEM;
    return r;
}

void xlu__cfgl_badchar(CfgParseContext *ctx, const YYLTYPE *loc,
                       const char *text, int len)
{
    char shown[16];

    if (len == 1 && text[0] == 0)
        snprintf(shown, sizeof(shown), "NUL");
    else
        xlu__cfg_quote_text(shown, sizeof(shown), text, len);
    xlu__cfg_report(ctx, EINVAL, loc->first_line, loc->first_column,
                    "syntax error", "unexpected character `%s'", shown);
}

/*
 * Reads up to `max' digits of base `base' from s; returns how many were
 * read and their value in *val.
 */
static int read_digits(const char *s, const char *end, int base, int max,
                       unsigned *val)
{
    int n = 0;

    *val = 0;
    while (n < max && s + n < end) {
        int c = (unsigned char)s[n], d;

        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            break;
        if (d >= base)
            break;
        *val = *val * base + d;
        n++;
    }
    return n;
}

/*
 * Turns a quoted token (quotes included) into the string it denotes.
 * Escapes: \' \" \\ \? \a \b \f \n \r \t \v, \x with one or two hex
 * digits, and one to three octal digits. A string cannot hold a NUL.
 */
char *xlu__cfgl_dequote(CfgParseContext *ctx, const char *text, int len,
                        const YYLTYPE *loc)
{
    const char *p = text + 1, *end = text + len - 1;
    char *result, *q;

    assert(len >= 2 && text[0] == text[len - 1]);
    result = malloc(len - 1);
    if (!result) {
        ctx->err = ENOMEM;
        return NULL;
    }
    q = result;
    while (p < end) {
        const char *start = p;
        unsigned val;
        int n;
        char c = *p++;

        if (c == 0) {
            xlu__cfg_report(ctx, EINVAL, loc->first_line,
                            loc->first_column + (int)(start - text),
                            "syntax error", "NUL character in string");
            goto fail;
        }
        if (c != '\\') {
            *q++ = c;
            continue;
        }
        assert(p < end); /* the scanner pairs every backslash */
        c = *p++;
        switch (c) {
        case '\'': case '"': case '\\': case '?': *q++ = c; continue;
        case 'a': *q++ = '\a'; continue;
        case 'b': *q++ = '\b'; continue;
        case 'f': *q++ = '\f'; continue;
        case 'n': *q++ = '\n'; continue;
        case 'r': *q++ = '\r'; continue;
        case 't': *q++ = '\t'; continue;
        case 'v': *q++ = '\v'; continue;
        case 'x':
            n = read_digits(p, end, 16, 2, &val);
            if (!n) {
                xlu__cfg_report(ctx, EINVAL, loc->first_line,
                                loc->first_column + (int)(start - text),
                                "syntax error",
                                "`\\x' must be followed by a hexadecimal "
                                "digit in string");
                goto fail;
            }
            p += n;
            break;
        case '0': case '1': case '2': case '3':
        case '4': case '5': case '6': case '7':
            n = read_digits(p - 1, end, 8, 3, &val);
            p += n - 1;
            if (val > 0xff) {
                xlu__cfg_report(ctx, EINVAL, loc->first_line,
                                loc->first_column + (int)(start - text),
                                "syntax error",
                                "octal escape `%.*s' is out of range "
                                "(more than \\377) in string",
                                (int)(p - start), start);
                goto fail;
            }
            break;
        default: {
            char shown[16];

            xlu__cfg_quote_text(shown, sizeof(shown), &c, 1);
            xlu__cfg_report(ctx, EINVAL, loc->first_line,
                            loc->first_column + (int)(start - text),
                            "syntax error",
                            "invalid escape `\\%s' in string", shown);
            goto fail;
        }
        }
        if (val == 0) {
            xlu__cfg_report(ctx, EINVAL, loc->first_line,
                            loc->first_column + (int)(start - text),
                            "syntax error",
                            "escape `%.*s' denotes a NUL character, which "
                            "a string cannot hold",
                            (int)(p - start), start);
            goto fail;
        }
        *q++ = (char)val;
    }
    *q = 0;
    return result;

fail:
    free(result);
    return NULL;
}

/*----- building values and settings -----*/

static void set_loc(XLU_ConfigValue *v, const YYLTYPE *loc)
{
    v->loc.line = loc->first_line;
    v->loc.column = loc->first_column;
}

XLU_ConfigValue *xlu__cfg_string_mk(CfgParseContext *ctx, char *atom,
                                    const YYLTYPE *loc)
{
    XLU_ConfigValue *v = calloc(1, sizeof(*v));

    if (!v) {
        ctx->err = ENOMEM;
        free(atom);
        return NULL;
    }
    v->type = XLU_STRING;
    v->u.string = atom;
    set_loc(v, loc);
    return v;
}

XLU_ConfigValue *xlu__cfg_list_mk(CfgParseContext *ctx,
                                  XLU_ConfigValue *first, const YYLTYPE *loc)
{
    XLU_ConfigValue *v = calloc(1, sizeof(*v));

    if (!v)
        goto nomem;
    v->type = XLU_LIST;
    v->u.list.avalues = 4;
    v->u.list.values = malloc(v->u.list.avalues * sizeof(*v->u.list.values));
    if (!v->u.list.values)
        goto nomem;
    if (first)
        v->u.list.values[v->u.list.nvalues++] = first;
    set_loc(v, loc);
    return v;

nomem:
    ctx->err = ENOMEM;
    free(v);
    xlu__cfg_value_free(first);
    return NULL;
}

/* Makes room for `more' further items in list. */
static int list_reserve(XLU_ConfigList *list, int more)
{
    XLU_ConfigValue **nv;
    int want;

    if (more > INT_MAX / 2 - list->nvalues)
        return ENOMEM;
    want = list->nvalues + more;
    if (want <= list->avalues)
        return 0;
    if (want < list->avalues * 2)
        want = list->avalues * 2;
    nv = realloc(list->values, (size_t)want * sizeof(*nv));
    if (!nv)
        return ENOMEM;
    list->values = nv;
    list->avalues = want;
    return 0;
}

int xlu__cfg_list_append(CfgParseContext *ctx, XLU_ConfigValue *list,
                         XLU_ConfigValue *val)
{
    assert(list->type == XLU_LIST && val);
    if (list_reserve(&list->u.list, 1)) {
        ctx->err = ENOMEM;
        xlu__cfg_value_free(val);
        return ENOMEM;
    }
    list->u.list.values[list->u.list.nvalues++] = val;
    return 0;
}

static size_t name_hash(const char *n)
{
    size_t h = 5381;

    while (*n)
        h = h * 33 + (unsigned char)*n++;
    return h;
}

XLU_ConfigSetting *xlu__cfg_find(const XLU_Config *cfg, const char *n)
{
    XLU_ConfigSetting *set;

    if (!cfg->nbuckets)
        return NULL;
    for (set = cfg->buckets[name_hash(n) % cfg->nbuckets]; set;
         set = set->hnext)
        if (!strcmp(set->name, n))
            return set;
    return NULL;
}

/*
 * Adds set, the newest setting, to the list and the index. The index grows
 * by rebuilding it from the list, keeping newest-first order in buckets.
 */
static int add_setting(XLU_Config *cfg, XLU_ConfigSetting *set)
{
    if (cfg->nsettings >= cfg->nbuckets * 2) {
        size_t nb = cfg->nbuckets ? cfg->nbuckets * 4 : 64, i;
        XLU_ConfigSetting **b = calloc(nb, sizeof(*b));
        XLU_ConfigSetting **tails = calloc(nb, sizeof(*tails));
        XLU_ConfigSetting *s;

        if (!b || !tails) {
            free(b);
            free(tails);
            return ENOMEM;
        }
        for (s = cfg->settings; s; s = s->next) {
            i = name_hash(s->name) % nb;
            s->hnext = NULL;
            if (tails[i])
                tails[i]->hnext = s;
            else
                b[i] = s;
            tails[i] = s;
        }
        free(tails);
        free(cfg->buckets);
        cfg->buckets = b;
        cfg->nbuckets = nb;
    }
    set->next = cfg->settings;
    cfg->settings = set;
    set->hnext = cfg->buckets[name_hash(set->name) % cfg->nbuckets];
    cfg->buckets[name_hash(set->name) % cfg->nbuckets] = set;
    cfg->nsettings++;
    return 0;
}

/*
 * `name += val' with an earlier `name': the earlier setting grows in place
 * (its list takes val's items, or its string gets val's appended) and val
 * is consumed. Growing in place keeps long runs of += linear.
 */
static int append_to_previous(CfgParseContext *ctx, const char *name,
                              XLU_ConfigSetting *prev, XLU_ConfigValue *val,
                              const YYLTYPE *name_loc, const YYLTYPE *op_loc)
{
    XLU_ConfigValue *pv = prev->value;

    if (pv->type != val->type) {
        xlu__cfg_report(ctx, EINVAL, op_loc->first_line,
                        op_loc->first_column, "error",
                        "cannot use `+=' to add a %s to `%s', which is a %s",
                        val->type == XLU_LIST ? "list" : "string", name,
                        pv->type == XLU_LIST ? "list" : "string");
        return EINVAL;
    }
    if (val->type == XLU_STRING) {
        size_t a = strlen(pv->u.string), b = strlen(val->u.string);
        char *s = realloc(pv->u.string, a + b + 1);

        if (!s)
            goto nomem;
        memcpy(s + a, val->u.string, b + 1);
        pv->u.string = s;
    } else {
        XLU_ConfigList *pl = &pv->u.list, *vl = &val->u.list;

        if (list_reserve(pl, vl->nvalues))
            goto nomem;
        memcpy(pl->values + pl->nvalues, vl->values,
               vl->nvalues * sizeof(*vl->values));
        pl->nvalues += vl->nvalues;
        vl->nvalues = 0;
    }
    xlu__cfg_value_free(val);
    prev->op = XLU_OP_ADDITION;
    prev->lineno = name_loc->first_line;
    return 0;

nomem:
    ctx->err = ENOMEM;
    return ENOMEM;
}

int xlu__cfg_set_store(CfgParseContext *ctx, char *name,
                       enum XLU_Operation op, XLU_ConfigValue *val,
                       const YYLTYPE *name_loc, const YYLTYPE *op_loc)
{
    XLU_ConfigSetting *set, *prev;
    int rc;

    if (op == XLU_OP_ADDITION && (prev = xlu__cfg_find(ctx->cfg, name))) {
        rc = append_to_previous(ctx, name, prev, val, name_loc, op_loc);
        free(name);
        if (rc)
            xlu__cfg_value_free(val);
        return rc;
    }
    set = malloc(sizeof(*set));
    if (!set) {
        ctx->err = ENOMEM;
        rc = ENOMEM;
        goto fail;
    }
    set->name = name;
    set->value = val;
    set->op = op;
    set->lineno = name_loc->first_line;
    if (add_setting(ctx->cfg, set)) {
        free(set);
        ctx->err = ENOMEM;
        rc = ENOMEM;
        goto fail;
    }
    return 0;

fail:
    free(name);
    xlu__cfg_value_free(val);
    return rc;
}

/*----- reading -----*/

static int ctx_init(CfgParseContext *ctx, XLU_Config *cfg)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->cfg = cfg;
    ctx->line = 1;
    ctx->column = 1;
    if (xlu__cfg_yylex_init_extra(ctx, &ctx->scanner)) {
        int e = errno ? errno : ENOMEM;

        if (cfg->report)
            fprintf(cfg->report, "%s: cannot create scanner: %s\n",
                    cfg->config_source, strerror(e));
        ctx->scanner = NULL;
        return e;
    }
    return 0;
}

static int parse(CfgParseContext *ctx)
{
    int r = xlu__cfg_yyparse(ctx);

    if (r && !ctx->err) {
        /* Not expected: every failure path reports itself. */
        xlu__cfg_report(ctx, r == 2 ? ENOMEM : EINVAL, ctx->line,
                        ctx->column, "error", "%s",
                        r == 2 ? "out of memory" : "cannot parse");
    }
    if (ctx->err && ctx->likely_python && ctx->cfg->report)
        fprintf(ctx->cfg->report,
                "%s: note: this looks like Python; xl configuration files"
                " hold only KEY=VALUE settings (see xl.cfg(5))\n",
                ctx->cfg->config_source);
    xlu__cfg_yylex_destroy(ctx->scanner);
    return ctx->err;
}

int xlu_cfg_readfile(XLU_Config *cfg, const char *real_filename)
{
    CfgParseContext ctx;
    FILE *f;
    int e;

    f = fopen(real_filename, "r");
    if (!f) {
        e = errno;
        if (cfg->report)
            fprintf(cfg->report,
                    "%s: unable to open configuration file: %s\n",
                    real_filename, strerror(e));
        return e;
    }
    e = ctx_init(&ctx, cfg);
    if (!e) {
        xlu__cfg_yyset_in(f, ctx.scanner);
        e = parse(&ctx);
        if (ctx.read_errno) {
            /* What was parsed is incomplete: this error comes first. */
            e = ctx.read_errno;
            if (cfg->report)
                fprintf(cfg->report,
                        "%s: error reading configuration file: %s\n",
                        real_filename, strerror(e));
        }
    }
    fclose(f);
    return e;
}

int xlu_cfg_readdata(XLU_Config *cfg, const char *data, int length)
{
    CfgParseContext ctx;
    YY_BUFFER_STATE buf;
    int e;

    if (length < 0 || (length > 0 && !data))
        return EINVAL;
    e = ctx_init(&ctx, cfg);
    if (e)
        return e;
    buf = xlu__cfg_yy_scan_bytes(data ? data : "", length, ctx.scanner);
    if (!buf) {
        xlu__cfg_yylex_destroy(ctx.scanner);
        if (cfg->report)
            fprintf(cfg->report, "%s: cannot allocate scanner buffer\n",
                    cfg->config_source);
        return ENOMEM;
    }
    /* yylex_destroy, called by parse(), frees the buffer too. */
    return parse(&ctx);
}
