/*
 * Unit tests of libxlutil's xl.cfg reader: tokens, escapes, lists,
 * separators, `+=', every getter, and the exact diagnostics of every
 * error path (captured through a memory stream given as the report).
 */

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "libxlutil.h"

/* A configuration read from text, with its diagnostics in memory. */
typedef struct {
    FILE *rep;
    char *buf;
    size_t len;
    size_t seen; /* how much of buf t_report has returned */
    XLU_Config *cfg;
} T;

static T *t_new(void)
{
    T *t = calloc(1, sizeof(*t));

    assert_non_null(t);
    t->rep = open_memstream(&t->buf, &t->len);
    assert_non_null(t->rep);
    t->cfg = xlu_cfg_init(t->rep, "guest.cfg");
    assert_non_null(t->cfg);
    return t;
}

static void t_free(T *t)
{
    xlu_cfg_destroy(t->cfg);
    fclose(t->rep);
    free(t->buf);
    free(t);
}

/* What was reported since the last call. */
static const char *t_report(T *t)
{
    static char last[4096];

    fflush(t->rep);
    snprintf(last, sizeof(last), "%s", t->buf ? t->buf + t->seen : "");
    t->seen = t->len;
    return last;
}

static int t_load_n(T *t, const char *data, int len)
{
    return xlu_cfg_readdata(t->cfg, data, len);
}

static int t_load(T *t, const char *text)
{
    return t_load_n(t, text, (int)strlen(text));
}

/* Parses text that must be valid and returns the fixture. */
static T *ok(const char *text)
{
    T *t = t_new();

    assert_int_equal(t_load(t, text), 0);
    assert_string_equal(t_report(t), "");
    return t;
}

static const char *str(T *t, const char *key)
{
    const char *v = NULL;

    assert_int_equal(xlu_cfg_get_string(t->cfg, key, &v, 0), 0);
    return v;
}

static long num(T *t, const char *key)
{
    long v = 0;

    assert_int_equal(xlu_cfg_get_long(t->cfg, key, &v, 0), 0);
    return v;
}

/*----- tokens -----*/

static void test_names_numbers_strings(void **state)
{
    T *t = ok("memory = 512\n"
              "on_crash=\"destroy\"\n"
              "a.b_c.9 = 'x'\n"
              "hex = 0x1f\n"
              "oct = 010\n"
              "zero=0\n"
              "sci = 1e5\n"
              "dq = \"it's\"\n"
              "sq = 'say \"hi\"'\n"
              "empty = ''\n");

    assert_int_equal(num(t, "memory"), 512);
    assert_string_equal(str(t, "memory"), "512");
    assert_string_equal(str(t, "on_crash"), "destroy");
    assert_string_equal(str(t, "a.b_c.9"), "x");
    assert_int_equal(num(t, "hex"), 31);
    assert_string_equal(str(t, "hex"), "0x1f");
    assert_int_equal(num(t, "oct"), 8);
    assert_int_equal(num(t, "zero"), 0);
    /* Number tokens are text; 1e5 is a valid token but no integer. */
    assert_string_equal(str(t, "sci"), "1e5");
    assert_string_equal(str(t, "dq"), "it's");
    assert_string_equal(str(t, "sq"), "say \"hi\"");
    assert_string_equal(str(t, "empty"), "");
    t_free(t);
}

static void test_escapes(void **state)
{
    static const struct {
        const char *src, *want;
    } cases[] = {
        { "\\n", "\n" },   { "\\t", "\t" },     { "\\r", "\r" },
        { "\\a", "\a" },   { "\\b", "\b" },     { "\\f", "\f" },
        { "\\v", "\v" },   { "\\\\", "\\" },    { "\\\"", "\"" },
        { "\\'", "'" },    { "\\?", "?" },      { "\\x41", "A" },
        { "\\x4", "\x04" }, { "\\x414", "A4" }, { "\\xfF", "\xff" },
        { "\\101", "A" },  { "\\7", "\a" },     { "\\1012", "A2" },
        { "\\377", "\xff" }, { "a\\tb\\nc", "a\tb\nc" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[64];
        T *t;
        int q;

        for (q = 0; q < 2; q++) {
            char quote = q ? '\'' : '"';

            snprintf(text, sizeof(text), "s=%c%s%c\n", quote, cases[i].src,
                     quote);
            t = ok(text);
            assert_string_equal(str(t, "s"), cases[i].want);
            t_free(t);
        }
    }
}

static void test_comments_separators(void **state)
{
    T *t = ok("# leading comment\n"
              "\n"
              "a=1 # trailing comment\n"
              "b=2; c=\"#not a comment\";;\n"
              ";\n"
              "\t d = 4 ;e=5\n"
              "f = 6 # no newline at the end");

    assert_int_equal(num(t, "a"), 1);
    assert_int_equal(num(t, "b"), 2);
    assert_string_equal(str(t, "c"), "#not a comment");
    assert_int_equal(num(t, "d"), 4);
    assert_int_equal(num(t, "e"), 5);
    assert_int_equal(num(t, "f"), 6);
    t_free(t);

    /* Last statement without newline; CRLF line ends. */
    t = ok("x=1\r\ny='z'");
    assert_int_equal(num(t, "x"), 1);
    assert_string_equal(str(t, "y"), "z");
    t_free(t);

    /* An empty file and a file of comments only are valid. */
    t = ok("");
    t_free(t);
    t = ok("# nothing\n# at all");
    t_free(t);
}

static void test_last_setting_wins(void **state)
{
    T *t = ok("a=1\na=2\nb=[1]\nb='s'\n");

    assert_int_equal(num(t, "a"), 2);
    assert_string_equal(str(t, "b"), "s");
    t_free(t);
}

/*----- lists -----*/

static void check_list(T *t, const char *key, int n, const char *const *want)
{
    XLU_ConfigList *l = NULL;
    int entries = -1, i;

    assert_int_equal(xlu_cfg_get_list(t->cfg, key, &l, &entries, 0), 0);
    assert_int_equal(entries, n);
    for (i = 0; i < n; i++) {
        const char *item = xlu_cfg_get_listitem(l, i);

        if (want[i]) {
            assert_non_null(item);
            assert_string_equal(item, want[i]);
        } else {
            assert_null(item);
        }
    }
    assert_null(xlu_cfg_get_listitem(l, n));
    assert_null(xlu_cfg_get_listitem(l, -1));
}

static void test_lists(void **state)
{
    static const char *const abc[] = { "a", "b", "c" };
    static const char *const one[] = { "1" };
    T *t = ok("l1 = ['a', 'b', 'c']\n"
              "l2 = ['a', 'b', 'c',]\n"
              "l3 = [\n"
              "  'a',\n"
              "\n"
              "  'b'\n"
              "  , 'c',   # comment inside\n"
              "]\n"
              "l4 = []\n"
              "l5 = [\n\n]\n"
              "l6 = [1]; l7=[\n'a','b','c']\n");

    check_list(t, "l1", 3, abc);
    check_list(t, "l2", 3, abc);
    check_list(t, "l3", 3, abc);
    check_list(t, "l4", 0, NULL);
    check_list(t, "l5", 0, NULL);
    check_list(t, "l6", 1, one);
    check_list(t, "l7", 3, abc);
    t_free(t);
}

static void test_nested_lists(void **state)
{
    static const char *const want[] = { "a", NULL, NULL };
    T *t = ok("n = ['a', [1, [2, 'x']], []]\n");
    XLU_ConfigList *l, *inner, *inner2;
    XLU_ConfigValue *v;
    char *s;
    int n;

    check_list(t, "n", 3, want);
    assert_int_equal(xlu_cfg_get_list(t->cfg, "n", &l, &n, 0), 0);

    v = xlu_cfg_get_listitem2(l, 0);
    assert_non_null(v);
    assert_int_equal(xlu_cfg_value_type(v), XLU_STRING);
    assert_int_equal(xlu_cfg_value_get_string(t->cfg, v, &s, 0), 0);
    assert_string_equal(s, "a");
    assert_int_equal(xlu_cfg_value_get_list(t->cfg, v, &inner, 0), EINVAL);
    assert_null(inner);
    assert_string_equal(t_report(t), "guest.cfg:1:6: warning: value is a "
                                     "string but should be a list\n");

    v = xlu_cfg_get_listitem2(l, 1);
    assert_int_equal(xlu_cfg_value_type(v), XLU_LIST);
    assert_int_equal(xlu_cfg_value_get_string(t->cfg, v, &s, 0), EINVAL);
    assert_null(s);
    assert_string_equal(t_report(t), "guest.cfg:1:11: warning: value is a "
                                     "list but should be a string\n");
    assert_int_equal(xlu_cfg_value_get_string(t->cfg, v, &s, 1), EINVAL);
    assert_string_equal(t_report(t), "");
    assert_int_equal(xlu_cfg_value_get_list(t->cfg, v, &inner, 0), 0);
    assert_string_equal(xlu_cfg_get_listitem(inner, 0), "1");
    v = xlu_cfg_get_listitem2(inner, 1);
    assert_int_equal(xlu_cfg_value_get_list(t->cfg, v, &inner2, 0), 0);
    assert_string_equal(xlu_cfg_get_listitem(inner2, 1), "x");
    assert_null(xlu_cfg_get_listitem2(inner, 2));
    assert_null(xlu_cfg_get_listitem2(inner, -1));

    v = xlu_cfg_get_listitem2(l, 2);
    assert_int_equal(xlu_cfg_value_get_list(t->cfg, v, &inner, 0), 0);
    assert_null(xlu_cfg_get_listitem2(inner, 0));
    t_free(t);
}

/*----- += -----*/

static void test_append(void **state)
{
    static const char *const l3[] = { "a", "b", "c" };
    static const char *const l1[] = { "x" };
    T *t = ok("s = 'foo'\n"
              "s += 'bar'\n"
              "s += \"baz\"\n"
              "l = ['a']\n"
              "l += ['b', 'c']\n"
              "fresh += ['x']\n"
              "fs += 'y'\n"
              "n = 1\n"
              "n += 2\n");

    assert_string_equal(str(t, "s"), "foobarbaz");
    check_list(t, "l", 3, l3);
    /* Without an earlier value, += acts as =. */
    check_list(t, "fresh", 1, l1);
    assert_string_equal(str(t, "fs"), "y");
    /* Numbers cannot be built with +=: the text is "12" but not a long. */
    assert_string_equal(str(t, "n"), "12");
    {
        long v = 0;

        assert_int_equal(xlu_cfg_get_long(t->cfg, "n", &v, 0), EINVAL);
        assert_string_equal(t_report(t),
                            "guest.cfg:9: warning: parameter `n' was set "
                            "with `+=', which numbers do not support\n");
        assert_int_equal(xlu_cfg_get_long(t->cfg, "fs", &v, 1), EINVAL);
        assert_string_equal(t_report(t), "");
    }
    t_free(t);
}

static void test_append_mismatch(void **state)
{
    T *t = t_new();

    assert_int_equal(t_load(t, "s='a'\ns += ['b']\n"), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:2:3: error: cannot use `+=' to add a list "
                        "to `s', which is a string\n");
    t_free(t);

    t = t_new();
    assert_int_equal(t_load(t, "l=[]\nl\t+= 'b'\n"), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:2:3: error: cannot use `+=' to add a "
                        "string to `l', which is a list\n");
    t_free(t);
}

/*----- getters -----*/

static void test_get_string(void **state)
{
    T *t = ok("s='v'\nl=['a']\n");
    const char *v = "untouched";
    char *r;

    assert_int_equal(xlu_cfg_get_string(t->cfg, "nope", &v, 0), ESRCH);
    assert_string_equal(v, "untouched");
    assert_string_equal(t_report(t), "");

    assert_int_equal(xlu_cfg_get_string(t->cfg, "l", &v, 0), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:2: warning: parameter `l' is a list but "
                        "should be a single value\n");
    assert_int_equal(xlu_cfg_get_string(t->cfg, "l", &v, 1), EINVAL);
    assert_string_equal(t_report(t), "");

    r = strdup("old");
    assert_int_equal(xlu_cfg_replace_string(t->cfg, "s", &r, 0), 0);
    assert_string_equal(r, "v");
    assert_int_equal(xlu_cfg_replace_string(t->cfg, "nope", &r, 0), ESRCH);
    assert_string_equal(r, "v");
    assert_int_equal(xlu_cfg_replace_string(t->cfg, "l", &r, 0), EINVAL);
    assert_string_equal(r, "v");
    assert_string_equal(t_report(t),
                        "guest.cfg:2: warning: parameter `l' is a list but "
                        "should be a single value\n");
    free(r);
    r = NULL;
    assert_int_equal(xlu_cfg_replace_string(t->cfg, "s", &r, 0), 0);
    assert_string_equal(r, "v");
    free(r);
    t_free(t);
}

static void test_get_long(void **state)
{
    char big[64];
    T *t;
    long v;

    snprintf(big, sizeof(big), "%ld", LONG_MAX);
    t = ok("dec=42\nhex=0xff\noct=0777\nneg='-7'\nsp=' 5'\n"
           "bad=12abc\nword='ten'\nnone=''\nover=99999999999999999999\n"
           "under='-99999999999999999999'\nl=[1]\n"
           "max=9223372036854775807\n");

    assert_int_equal(num(t, "dec"), 42);
    assert_int_equal(num(t, "hex"), 255);
    assert_int_equal(num(t, "oct"), 0777);
    assert_int_equal(num(t, "neg"), -7);
    assert_int_equal(num(t, "sp"), 5);
    assert_int_equal(num(t, "max"), LONG_MAX);

    v = 123;
    assert_int_equal(xlu_cfg_get_long(t->cfg, "missing", &v, 0), ESRCH);
    assert_int_equal(v, 123);
    assert_string_equal(t_report(t), "");

    assert_int_equal(xlu_cfg_get_long(t->cfg, "bad", &v, 0), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:6: warning: parameter `bad' should be a "
                        "number but is `12abc'\n");
    assert_int_equal(xlu_cfg_get_long(t->cfg, "word", &v, 0), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:7: warning: parameter `word' should be a "
                        "number but is `ten'\n");
    assert_int_equal(xlu_cfg_get_long(t->cfg, "none", &v, 0), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:8: warning: parameter `none' should be a "
                        "number but is `'\n");
    assert_int_equal(xlu_cfg_get_long(t->cfg, "over", &v, 0), ERANGE);
    assert_string_equal(t_report(t),
                        "guest.cfg:9: warning: parameter `over': number "
                        "`99999999999999999999' does not fit in a long\n");
    assert_int_equal(xlu_cfg_get_long(t->cfg, "under", &v, 1), ERANGE);
    assert_int_equal(xlu_cfg_get_long(t->cfg, "l", &v, 0), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:11: warning: parameter `l' is a list but "
                        "should be a single value\n");
    assert_int_equal(v, 123);
    t_free(t);
}

static void test_get_bounded_long(void **state)
{
    T *t = ok("v = 10\n");
    long v = -1;

    assert_int_equal(xlu_cfg_get_bounded_long(t->cfg, "v", 10, 10, &v, 0), 0);
    assert_int_equal(v, 10);
    assert_int_equal(xlu_cfg_get_bounded_long(t->cfg, "v", 0, 100, &v, 0), 0);
    v = -1;
    assert_int_equal(xlu_cfg_get_bounded_long(t->cfg, "v", 11, 20, &v, 0),
                     EINVAL);
    assert_int_equal(v, -1);
    assert_string_equal(t_report(t),
                        "guest.cfg:1: warning: parameter `v' is 10, outside "
                        "the range 11 to 20\n");
    assert_int_equal(xlu_cfg_get_bounded_long(t->cfg, "v", 0, 9, &v, 0),
                     EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:1: warning: parameter `v' is 10, outside "
                        "the range 0 to 9\n");
    assert_int_equal(xlu_cfg_get_bounded_long(t->cfg, "v", 0, 9, &v, 1),
                     EINVAL);
    assert_string_equal(t_report(t), "");
    assert_int_equal(xlu_cfg_get_bounded_long(t->cfg, "w", 0, 9, &v, 0),
                     ESRCH);
    t_free(t);
}

static void test_get_defbool(void **state)
{
    static const struct {
        const char *text;
        int rc, val;
    } cases[] = {
        { "b=0", 0, 0 },      { "b=1", 0, 1 },   { "b=42", 0, 1 },
        { "b=0x0", 0, 0 },    { "b=0x10", 0, 1 }, { "b='1'", 0, 1 },
        { "b='-1'", 0, 1 },   { "b=00", 0, 0 },
        { "b='yes'", EINVAL, -1 }, { "b='true'", EINVAL, -1 },
        { "b=[1]", EINVAL, -1 },  { "other=1", ESRCH, -1 },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        T *t = ok(cases[i].text);
        libxl_defbool b;

        libxl_defbool_unset(&b);
        assert_int_equal(xlu_cfg_get_defbool(t->cfg, "b", &b, 1),
                         cases[i].rc);
        if (cases[i].val < 0) {
            assert_true(libxl_defbool_is_default(b));
        } else {
            assert_false(libxl_defbool_is_default(b));
            assert_int_equal(libxl_defbool_val(b), cases[i].val);
        }
        t_free(t);
    }
}

static void test_get_list(void **state)
{
    T *t = ok("s='x'\nl=['a', ['b'], 'c']\ne=[]\nss=['a', 1, '']\n");
    XLU_ConfigList *l = NULL;
    libxl_string_list sl = NULL;
    int n = -1;

    /* Both outputs are optional. */
    assert_int_equal(xlu_cfg_get_list(t->cfg, "l", NULL, NULL, 0), 0);
    assert_int_equal(xlu_cfg_get_list(t->cfg, "l", NULL, &n, 0), 0);
    assert_int_equal(n, 3);
    assert_int_equal(xlu_cfg_get_list(t->cfg, "l", &l, NULL, 0), 0);
    assert_non_null(l);

    assert_int_equal(xlu_cfg_get_list(t->cfg, "s", &l, &n, 0), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:1: warning: parameter `s' is a single "
                        "value but should be a list\n");
    assert_int_equal(xlu_cfg_get_list(t->cfg, "s", &l, &n, 1), EINVAL);
    assert_int_equal(xlu_cfg_get_list(t->cfg, "zz", &l, &n, 0), ESRCH);
    assert_string_equal(t_report(t), "");

    /* A nested list has no string form: refused, not truncated. */
    assert_int_equal(xlu_cfg_get_list_as_string_list(t->cfg, "l", &sl, 0),
                     EINVAL);
    assert_null(sl);
    assert_string_equal(t_report(t),
                        "guest.cfg:2: warning: parameter `l' should be a "
                        "list of strings but item 2 is a list\n");
    assert_int_equal(xlu_cfg_get_list_as_string_list(t->cfg, "ss", &sl, 0),
                     0);
    assert_int_equal(libxl_string_list_length(&sl), 3);
    assert_string_equal(sl[0], "a");
    assert_string_equal(sl[1], "1");
    assert_string_equal(sl[2], "");
    assert_null(sl[3]);
    libxl_string_list_dispose(&sl);
    assert_null(sl);

    sl = NULL;
    assert_int_equal(xlu_cfg_get_list_as_string_list(t->cfg, "e", &sl, 0),
                     0);
    assert_non_null(sl);
    assert_null(sl[0]);
    free(sl);

    sl = NULL;
    assert_int_equal(xlu_cfg_get_list_as_string_list(t->cfg, "s", &sl, 0),
                     EINVAL);
    assert_null(sl);
    assert_string_equal(t_report(t),
                        "guest.cfg:1: warning: parameter `s' is a single "
                        "value but should be a list\n");
    assert_int_equal(xlu_cfg_get_list_as_string_list(t->cfg, "q", &sl, 0),
                     ESRCH);
    t_free(t);
}

/*----- errors -----*/

static const struct {
    const char *text;
    const char *report;
} syntax_errors[] = {
    { "a=\n",
      "guest.cfg:1:3: syntax error: expected a value after '=', found end "
      "of line\n" },
    { "memory = ]\n",
      "guest.cfg:1:10: syntax error: expected a value after '=', found "
      "']'\n" },
    { "a +=",
      "guest.cfg:1:5: syntax error: expected a value after '+=', found end "
      "of file\n" },
    { "a 1\n",
      "guest.cfg:1:3: syntax error: expected '=' or '+=' after name `a', "
      "found number `1'\n" },
    { "vcpus\n",
      "guest.cfg:1:6: syntax error: expected '=' or '+=' after name "
      "`vcpus', found end of line\n" },
    { "=1\n",
      "guest.cfg:1:1: syntax error: expected a setting name, found '='\n" },
    { "ok=1\n'str'\n",
      "guest.cfg:2:1: syntax error: expected a setting name, found string "
      "'str'\n" },
    { "a=1 2\n",
      "guest.cfg:1:5: syntax error: expected end of line or ';' after "
      "number `1', found number `2'\n" },
    { "a='x' b='y'\n",
      "guest.cfg:1:7: syntax error: expected end of line or ';' after "
      "string 'x', found name `b'\n" },
    { "a=[1 2]\n",
      "guest.cfg:1:6: syntax error: expected ',' or ']' after number `1', "
      "found number `2'\n" },
    { "a=[,]\n",
      "guest.cfg:1:4: syntax error: expected a value or ']' after '[', "
      "found ','\n" },
    { "a=[1,,2]\n",
      "guest.cfg:1:6: syntax error: expected a value or ']' after ',', "
      "found ','\n" },
    { "a=[1]]\n",
      "guest.cfg:1:6: syntax error: expected end of line or ';' after ']', "
      "found ']'\n" },
    { "a=[1,\n2\n",
      "guest.cfg:3:1: syntax error: expected ',' or ']', found end of "
      "file\n" },
    { "a=[1;2]\n",
      "guest.cfg:1:5: syntax error: expected ',' or ']' after number `1', "
      "found ';'\n" },
    { "a=b\n",
      "guest.cfg:1:3: syntax error: expected a value after '=', found name "
      "`b'\n" },
    { "a==1\n",
      "guest.cfg:1:3: syntax error: expected a value after '=', found "
      "'='\n" },
    { "# c\n\n  x = 'abc\n",
      "guest.cfg:3:7: syntax error: unterminated string: no closing ' "
      "before the end of the line\n" },
    { "x = \"abc",
      "guest.cfg:1:5: syntax error: unterminated string: no closing \" "
      "before the end of the line\n" },
    { "x = \"abc\\",
      "guest.cfg:1:5: syntax error: unterminated string: no closing \" "
      "before the end of the line\n" },
    { "x = 'a\\\nb'\n",
      "guest.cfg:1:5: syntax error: unterminated string: no closing ' "
      "before the end of the line\n" },
    { "Memory=1\n",
      "guest.cfg:1:1: syntax error: unexpected character `M'\n" },
    { "a=1\nb=0x1F\n",
      "guest.cfg:2:6: syntax error: unexpected character `F'\n" },
    { "a=@\n", "guest.cfg:1:3: syntax error: unexpected character `@'\n" },
    { "a=\x01\n",
      "guest.cfg:1:3: syntax error: unexpected character `\\x01'\n" },
    { "a=\xc3\xa9\n",
      "guest.cfg:1:3: syntax error: unexpected character `\\xc3'\n" },
    { "x='\\q'\n",
      "guest.cfg:1:4: syntax error: invalid escape `\\q' in string\n" },
    { "x=\"ab\\xg\"\n",
      "guest.cfg:1:6: syntax error: `\\x' must be followed by a hexadecimal "
      "digit in string\n" },
    { "x='\\0'\n",
      "guest.cfg:1:4: syntax error: escape `\\0' denotes a NUL character, "
      "which a string cannot hold\n" },
    { "x='\\x00'\n",
      "guest.cfg:1:4: syntax error: escape `\\x00' denotes a NUL character, "
      "which a string cannot hold\n" },
    { "x='a\\400'\n",
      "guest.cfg:1:5: syntax error: octal escape `\\400' is out of range "
      "(more than \\377) in string\n" },
    { "memory = 256 * 2\n",
      "guest.cfg:1:14: syntax error: unexpected character `*'\n"
      "guest.cfg: note: this looks like Python; xl configuration files hold "
      "only KEY=VALUE settings (see xl.cfg(5))\n" },
    { "disk = ['a'] + ['b']\n",
      "guest.cfg:1:14: syntax error: unexpected character `+'\n"
      "guest.cfg: note: this looks like Python; xl configuration files hold "
      "only KEY=VALUE settings (see xl.cfg(5))\n" },
};

static void test_syntax_errors(void **state)
{
    size_t i;

    for (i = 0; i < sizeof(syntax_errors) / sizeof(syntax_errors[0]); i++) {
        T *t = t_new();

        assert_int_equal(t_load(t, syntax_errors[i].text), EINVAL);
        assert_string_equal(t_report(t), syntax_errors[i].report);
        t_free(t);
    }
}

static void test_nul_bytes(void **state)
{
    static const char outside[] = "a=1\nb=\0\n";
    static const char inside[] = "a='x\0y'\n";
    T *t = t_new();

    assert_int_equal(t_load_n(t, outside, sizeof(outside) - 1), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:2:3: syntax error: unexpected character "
                        "`NUL'\n");
    t_free(t);

    t = t_new();
    assert_int_equal(t_load_n(t, inside, sizeof(inside) - 1), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:1:5: syntax error: NUL character in "
                        "string\n");
    t_free(t);
}

static void test_long_token_in_message(void **state)
{
    /* A huge offending token is shown truncated. */
    size_t n = 100000, i;
    char *text = malloc(n + 16);
    const char *r;
    T *t = t_new();

    assert_non_null(text);
    strcpy(text, "a=1 ");
    for (i = 4; i < n; i++)
        text[i] = 'z';
    text[n] = 0;
    assert_int_equal(t_load(t, text), EINVAL);
    r = t_report(t);
    assert_non_null(strstr(r, "guest.cfg:1:5: syntax error: expected end of "
                              "line or ';' after number `1', found name "
                              "`zzzz"));
    assert_non_null(strstr(r, "...'\n"));
    assert_true(strlen(r) < 200);
    t_free(t);
    free(text);
}

static void test_nesting_limit(void **state)
{
    int depth;

    for (depth = 255; depth <= 257; depth++) {
        char *text = malloc(2 * depth + 8);
        T *t = t_new();
        int i, p = 0;

        assert_non_null(text);
        p += sprintf(text, "x=");
        for (i = 0; i < depth; i++)
            text[p++] = '[';
        for (i = 0; i < depth; i++)
            text[p++] = ']';
        text[p] = 0;
        if (depth <= 256) {
            assert_int_equal(t_load(t, text), 0);
        } else {
            assert_int_equal(t_load(t, text), EINVAL);
            assert_string_equal(t_report(t),
                                "guest.cfg:1:259: syntax error: lists nested "
                                "more than 256 deep\n");
        }
        t_free(t);
        free(text);
    }
}

static void test_big_inputs(void **state)
{
    /* 50000 list items and 20000 settings, then a 1 MiB string. */
    size_t cap = 4 << 20, p = 0;
    char *text = malloc(cap);
    XLU_ConfigList *l;
    int i, n;
    T *t;

    assert_non_null(text);
    p += sprintf(text + p, "l=[");
    for (i = 0; i < 50000; i++)
        p += sprintf(text + p, "%d,%s", i, i % 10 ? "" : "\n");
    p += sprintf(text + p, "]\n");
    for (i = 0; i < 20000; i++)
        p += sprintf(text + p, "k%d=%d\n", i, i);
    p += sprintf(text + p, "s='");
    memset(text + p, 'q', 1 << 20);
    p += 1 << 20;
    p += sprintf(text + p, "'\n");
    assert_true(p < cap);

    t = t_new();
    assert_int_equal(t_load_n(t, text, (int)p), 0);
    assert_int_equal(xlu_cfg_get_list(t->cfg, "l", &l, &n, 0), 0);
    assert_int_equal(n, 50000);
    assert_string_equal(xlu_cfg_get_listitem(l, 49999), "49999");
    assert_int_equal(num(t, "k19999"), 19999);
    assert_int_equal(strlen(str(t, "s")), 1 << 20);
    t_free(t);
    free(text);
}

static void test_many_appends(void **state)
{
    /* Long runs of += stay linear: distinct names, one growing list, one
     * growing string. */
    size_t cap = 8 << 20, p = 0;
    char *text = malloc(cap);
    XLU_ConfigList *l;
    int i, n;
    T *t;

    assert_non_null(text);
    p += sprintf(text + p, "l=[]\ns=''\n");
    for (i = 0; i < 20000; i++)
        p += sprintf(text + p, "k%d += '%d'\nl += [%d, 'x']\ns += 'ab'\n",
                     i, i, i);
    assert_true(p < cap);
    t = t_new();
    assert_int_equal(t_load_n(t, text, (int)p), 0);
    assert_int_equal(xlu_cfg_get_list(t->cfg, "l", &l, &n, 0), 0);
    assert_int_equal(n, 40000);
    assert_string_equal(xlu_cfg_get_listitem(l, 39998), "19999");
    assert_string_equal(xlu_cfg_get_listitem(l, 39999), "x");
    assert_int_equal(strlen(str(t, "s")), 40000);
    assert_string_equal(str(t, "k19999"), "19999");
    t_free(t);
    free(text);
}

static void test_readdata_misc(void **state)
{
    T *t = t_new();

    /* Settings accumulate over several reads; positions restart. */
    assert_int_equal(t_load(t, "a=1\n"), 0);
    assert_int_equal(t_load(t, "b=2\n"), 0);
    assert_int_equal(t_load_n(t, "", 0), 0);
    assert_int_equal(num(t, "a"), 1);
    assert_int_equal(num(t, "b"), 2);
    assert_int_equal(t_load(t, "c=\n"), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:1:3: syntax error: expected a value after "
                        "'=', found end of line\n");
    t_free(t);

    t = t_new();
    assert_int_equal(xlu_cfg_readdata(t->cfg, "a=1", -1), EINVAL);
    /* The length is honoured: what follows is not read. */
    assert_int_equal(t_load_n(t, "a=1\nb=", 4), 0);
    assert_int_equal(num(t, "a"), 1);
    t_free(t);
}

static void test_readfile(void **state)
{
    char path[] = "/tmp/test-libxlu-cfg-XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    T *t;

    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs("name = \"guest\"\nmemory = 1024\n\nvif = [ 'bridge=xenbr0', ]\n"
          "bad = [\n", f);
    fclose(f);

    t = t_new();
    assert_int_equal(xlu_cfg_readfile(t->cfg, path), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:6:1: syntax error: expected a value or "
                        "']', found end of file\n");
    t_free(t);

    f = fopen(path, "w");
    fputs("name = \"guest\"\nmemory = 1024\n\nvif = [ 'bridge=xenbr0', ]\n",
          f);
    fclose(f);
    t = t_new();
    assert_int_equal(xlu_cfg_readfile(t->cfg, path), 0);
    assert_string_equal(str(t, "name"), "guest");
    assert_int_equal(num(t, "memory"), 1024);
    t_free(t);
    unlink(path);

    t = t_new();
    assert_int_equal(xlu_cfg_readfile(t->cfg, path), ENOENT);
    {
        char want[128];

        snprintf(want, sizeof(want),
                 "%s: unable to open configuration file: No such file or "
                 "directory\n", path);
        assert_string_equal(t_report(t), want);
    }
    t_free(t);

    /* A directory opens but cannot be read. */
    t = t_new();
    assert_int_equal(xlu_cfg_readfile(t->cfg, "/"), EISDIR);
    assert_string_equal(t_report(t), "/: error reading configuration file: "
                                     "Is a directory\n");
    t_free(t);
}

static void test_positions(void **state)
{
    /* Columns count bytes from 1; tabs are one column; comments and
     * blank lines count as lines. */
    T *t = t_new();

    assert_int_equal(t_load(t, "# c\n\n\tx = [\n\t\t'a',\n\t\t] ]\n"), EINVAL);
    assert_string_equal(t_report(t),
                        "guest.cfg:5:5: syntax error: expected end of line or "
                        "';' after ']', found ']'\n");
    t_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_numbers_strings),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_comments_separators),
        cmocka_unit_test(test_last_setting_wins),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_nested_lists),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_append_mismatch),
        cmocka_unit_test(test_get_string),
        cmocka_unit_test(test_get_long),
        cmocka_unit_test(test_get_bounded_long),
        cmocka_unit_test(test_get_defbool),
        cmocka_unit_test(test_get_list),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_long_token_in_message),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_big_inputs),
        cmocka_unit_test(test_many_appends),
        cmocka_unit_test(test_readdata_misc),
        cmocka_unit_test(test_readfile),
        cmocka_unit_test(test_positions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
