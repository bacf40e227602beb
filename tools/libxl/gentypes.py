#!/usr/bin/env python3
# Writes the C side of libxl_types.idl:
#   gentypes.py IDL TYPES_H JSON_H PRIVATE_H TYPES_C [TEST_C]
# TYPES_H    public typedefs and prototypes (include/_libxl_types.h)
# JSON_H     public yajl generator prototypes (include/_libxl_types_json.h)
# PRIVATE_H  internal parser prototypes (include/_libxl_types_private.h,
#            not installed)
# TYPES_C    the functions (_libxl_types.c)
# TEST_C     test support for the unit suites (see gentest.py)
#
# JSON rules (those of upstream libxl, which we must match byte for
# byte): a struct is a map of its fields in declaration order; a field
# equal to its default is left out, except aggregates which are always
# written; a keyed union is written under the key "<keyfield>.<member>"
# (e.g. "type.hvm") and an empty member as {}; enums are their lower-case
# names; arrays are lists.

import os
import sys

import gentest
import idl


class Out(object):
    """Accumulates C source with indentation."""

    def __init__(self):
        self.lines = []
        self.depth = 0

    def __call__(self, text=""):
        for line in text.split("\n"):
            self.lines.append(("    " * self.depth + line) if line else "")

    def indent(self):
        self.depth += 1

    def dedent(self):
        self.depth -= 1

    def mark(self):
        return len(self.lines)

    def uses(self, since, text):
        return any(text in line for line in self.lines[since:])

    def text(self):
        return "\n".join(self.lines) + "\n"


def is_anon_struct(t):
    return isinstance(t, idl.Struct) and t.name is None


def fields_of(t, for_data=True):
    """Fields taking part in copy/JSON (for_data) or init/dispose."""
    return [f for f in t.fields
            if not f.const and not (for_data and f.type.private)]


#
# Type definitions
#

def c_decl(t, name):
    """C declaration of a member called name of type t (may span lines)."""
    if isinstance(t, idl.Array):
        return "int %s;\n%s %s" % (t.lenvar, t.name, name)
    if isinstance(t, idl.KeyedUnion):
        body = "".join("    " + c_decl(f.type, f.name).replace("\n", "\n    ")
                       + ";\n" for f in t.fields if f.type is not None)
        return "%s %s;\nunion {\n%s} %s" % (t.keyvar.type.name, t.keyvar.name,
                                             body, name)
    if is_anon_struct(t):
        return "struct {\n%s} %s" % (struct_body(t), name)
    return "%s %s" % (t.name, name)


def struct_body(t):
    s = ""
    for f in t.fields:
        d = ("const " if f.const else "") + c_decl(f.type, f.name)
        s += "    " + d.replace("\n", "\n    ") + ";\n"
    return s


def c_typedef(t):
    if isinstance(t, idl.Enumeration):
        vals = "".join("    %s = %d,\n" % (v.cname, v.num) for v in t.values)
        return "typedef enum %s {\n%s} %s;\n" % (t.name, vals, t.name)
    return "typedef struct %s {\n%s} %s;\n" % (t.name, struct_body(t), t.name)


#
# init
#

def key_init(ku):
    return ku.keyvar.init_val or ku.keyvar.type.init_val


def emit_init_fields(o, t, prefix):
    for f in fields_of(t, for_data=False):
        place = prefix + f.name
        ft = f.type
        if f.init_val is not None:
            o("%s = %s;" % (place, f.init_val))
        elif is_anon_struct(ft):
            emit_init_fields(o, ft, place + ".")
        elif isinstance(ft, idl.KeyedUnion):
            if key_init(ft) is not None:
                o("%s%s = %s;" % (prefix, ft.keyvar.name, key_init(ft)))
        elif ft.init_val is not None:
            o("%s = %s;" % (place, ft.init_val))
        elif ft.init_fn is not None:
            o("%s(&%s);" % (ft.init_fn, place))


def emit_init_element(o, t, place):
    if t.init_val is not None:
        o("%s = %s;" % (place, t.init_val))
    elif t.init_fn is not None:
        o("%s(&%s);" % (t.init_fn, place))
    elif is_anon_struct(t):
        emit_init_fields(o, t, place + ".")


def keyed_unions(t):
    return [f for f in t.fields if isinstance(f.type, idl.KeyedUnion)]


def gen_init(o, t):
    o("void %s(%s *p)" % (t.init_fn, t.name))
    o("{")
    o.indent()
    o("memset(p, 0, sizeof(*p));")
    emit_init_fields(o, t, "p->")
    o.dedent()
    o("}")
    o()
    for f in keyed_unions(t):
        ku = f.type
        key = "p->" + ku.keyvar.name
        o("void %s_%s(%s *p, %s %s)" % (t.init_fn, ku.keyvar.name, t.name,
                                        ku.keyvar.type.name, ku.keyvar.name))
        o("{")
        o.indent()
        if key_init(ku) is not None:
            o("assert(%s == %s);" % (key, key_init(ku)))
        else:
            o("assert(!%s);" % key)
        o("%s = %s;" % (key, ku.keyvar.name))
        o("switch (%s) {" % key)
        for m in ku.fields:
            if m.type is None:
                continue
            o("case %s:" % m.enumvalue.cname)
            o.indent()
            emit_init_fields(o, m.type, "p->%s.%s." % (f.name, m.name))
            o("break;")
            o.dedent()
        o("default:")
        o("    break;")
        o("}")
        o.dedent()
        o("}")
        o()


#
# dispose
#

def needs_dispose(t):
    if t is None:
        return False
    if isinstance(t, idl.Array):
        return True
    if isinstance(t, idl.KeyedUnion) or is_anon_struct(t):
        return any(needs_dispose(f.type) for f in t.fields if not f.const)
    return t.dispose_fn is not None


def emit_dispose(o, t, place, prefix, depth):
    if isinstance(t, idl.Array):
        if needs_dispose(t.elem):
            i = "i%d" % depth
            o("for (int %s = 0; %s < %s%s; %s++) {" % (i, i, prefix, t.lenvar,
                                                       i))
            o.indent()
            emit_dispose(o, t.elem, "%s[%s]" % (place, i), prefix, depth + 1)
            o.dedent()
            o("}")
        o("free(%s);" % place)
    elif isinstance(t, idl.KeyedUnion):
        o("switch (%s%s) {" % (prefix, t.keyvar.name))
        for m in t.fields:
            if not needs_dispose(m.type):
                continue
            o("case %s:" % m.enumvalue.cname)
            o.indent()
            emit_dispose_fields(o, m.type, place + "." + m.name + ".", depth)
            o("break;")
            o.dedent()
        o("default:")
        o("    break;")
        o("}")
    elif is_anon_struct(t):
        emit_dispose_fields(o, t, place + ".", depth)
    elif t.dispose_fn is not None:
        o("%s(%s);" % (t.dispose_fn, t.arg(place)))


def emit_dispose_fields(o, t, prefix, depth):
    for f in fields_of(t, for_data=False):
        if needs_dispose(f.type):
            emit_dispose(o, f.type, prefix + f.name, prefix, depth)


def gen_dispose(o, t):
    o("void %s(%s *p)" % (t.dispose_fn, t.name))
    o("{")
    o.indent()
    o("if (!p)")
    o("    return;")
    emit_dispose_fields(o, t, "p->", 0)
    o("memset(p, 0, sizeof(*p));")
    o.dedent()
    o("}")
    o()


#
# copy
#

def emit_copy(o, t, dst, src, dprefix, sprefix, depth):
    if isinstance(t, idl.Array):
        i = "i%d" % depth
        o("%s%s = %s%s;" % (dprefix, t.lenvar, sprefix, t.lenvar))
        o("%s = libxl__calloc(NOGC, %s%s, sizeof(*%s));" % (dst, sprefix,
                                                            t.lenvar, dst))
        o("for (int %s = 0; %s < %s%s; %s++) {" % (i, i, sprefix, t.lenvar, i))
        o.indent()
        emit_copy(o, t.elem, "%s[%s]" % (dst, i), "%s[%s]" % (src, i),
                  dprefix, sprefix, depth + 1)
        o.dedent()
        o("}")
    elif isinstance(t, idl.KeyedUnion):
        key = t.keyvar.name
        o("%s%s = %s%s;" % (dprefix, key, sprefix, key))
        o("switch (%s%s) {" % (sprefix, key))
        for m in t.fields:
            if m.type is None:
                continue
            o("case %s:" % m.enumvalue.cname)
            o.indent()
            emit_copy_fields(o, m.type, dst + "." + m.name + ".",
                             src + "." + m.name + ".", depth)
            o("break;")
            o.dedent()
        o("default:")
        o("    break;")
        o("}")
    elif is_anon_struct(t):
        emit_copy_fields(o, t, dst + ".", src + ".", depth)
    elif t.copy_fn is not None:
        o("%s(ctx, &%s, &%s);" % (t.copy_fn, dst, src))
    else:
        o("%s = %s;" % (dst, src))


def emit_copy_fields(o, t, dprefix, sprefix, depth):
    for f in fields_of(t):
        emit_copy(o, f.type, dprefix + f.name, sprefix + f.name, dprefix,
                  sprefix, depth)


def gen_copy(o, t):
    o("void %s(libxl_ctx *ctx, %s *dst, const %s *src)" % (t.copy_fn, t.name,
                                                          t.name))
    o("{")
    o.indent()
    emit_copy_fields(o, t, "dst->", "src->", 0)
    o.dedent()
    o("}")
    o()


#
# copy of deprecated fields into their replacements
#

def emit_copy_deprecated(o, t, prefix):
    for f in fields_of(t):
        ft = f.type
        if isinstance(ft, idl.KeyedUnion):
            members = [m for m in ft.fields
                       if m.type is not None and
                       any(x.deprecated_by for x in m.type.fields)]
            if not members:
                continue
            o("switch (p->%s) {" % ft.keyvar.name)
            for m in members:
                o("case %s:" % m.enumvalue.cname)
                o.indent()
                emit_copy_deprecated(o, m.type,
                                     "%s%s.%s." % (prefix, f.name, m.name))
                o("break;")
                o.dedent()
            o("default:")
            o("    break;")
            o("}")
        elif is_anon_struct(ft):
            emit_copy_deprecated(o, ft, prefix + f.name + ".")
        elif f.deprecated_by is not None:
            isdef = ft.is_default_fn
            if isdef is None:
                raise Exception("deprecated field %s needs is_default_fn"
                                % f.name)
            old = prefix + f.name
            new = "p->" + f.deprecated_by
            o("if (!%s(&%s) && !%s(&%s))" % (isdef, old, isdef, new))
            o("    return ERROR_INVAL;")
            o("if (%s(&%s)) {" % (isdef, new))
            o.indent()
            if ft.dispose_fn is not None:
                # a default value may still own memory (an empty list)
                o("%s(%s);" % (ft.dispose_fn, ft.arg(new)))
            if ft.copy_fn is not None:
                o("%s(ctx, &%s, &%s);" % (ft.copy_fn, new, old))
            else:
                o("%s = %s;" % (new, old))
            if ft.dispose_fn is not None:
                o("%s(%s);" % (ft.dispose_fn, ft.arg(old)))
            if ft.init_val is not None:
                o("%s = %s;" % (old, ft.init_val))
            else:
                o("memset(&%s, 0, sizeof(%s));" % (old, old))
            o.dedent()
            o("}")


def gen_copy_deprecated(o, t):
    o("int %s(libxl_ctx *ctx, %s *p)" % (t.copy_deprecated_fn, t.name))
    o("{")
    o.indent()
    emit_copy_deprecated(o, t, "p->")
    o("return 0;")
    o.dedent()
    o("}")
    o()


#
# enums
#

def gen_enum(o, t):
    o("const char *%s_to_string(%s e)" % (t.name, t.name))
    o("{")
    o("    switch (e) {")
    for v in t.values:
        o("    case %s:" % v.cname)
        o("        return \"%s\";" % v.string)
    o("    default:")
    o("        return NULL;")
    o("    }")
    o("}")
    o()
    o("libxl_enum_string_table %s_string_table[] = {" % t.name)
    for v in t.values:
        o("    { .s = \"%s\", .v = %s }," % (v.string, v.cname))
    o("    { NULL, -1 },")
    o("};")
    o()
    o("int %s_from_string(const char *s, %s *e)" % (t.name, t.name))
    o("{")
    o("    int v, rc;")
    o()
    o("    rc = libxl__enum_from_string(%s_string_table, s, &v);" % t.name)
    o("    if (!rc)")
    o("        *e = (%s)v;" % t.name)
    o("    return rc;")
    o("}")
    o()


#
# JSON generation
#

def check(o):
    o("if (s != yajl_gen_status_ok)")
    o("    goto out;")


def gen_key(o, key):
    o("s = libxl__yajl_gen_asciiz(hand, \"%s\");" % key)
    check(o)


def emit_gen(o, t, place, prefix, depth):
    if isinstance(t, idl.Array):
        i = "i%d" % depth
        o("s = yajl_gen_array_open(hand);")
        check(o)
        o("for (int %s = 0; %s < %s%s; %s++) {" % (i, i, prefix, t.lenvar, i))
        o.indent()
        emit_gen(o, t.elem, "%s[%s]" % (place, i), prefix, depth + 1)
        o.dedent()
        o("}")
        o("s = yajl_gen_array_close(hand);")
        check(o)
    elif isinstance(t, idl.Enumeration):
        o("s = libxl__yajl_gen_enum(hand, %s_to_string(%s));" % (t.name, place))
        check(o)
    elif is_anon_struct(t):
        emit_gen_map(o, t, place + ".", depth)
    else:
        o("s = %s(hand, %s);" % (t.gen_json_fn, t.arg(place)))
        check(o)


def not_default(f, place, prefix):
    """C condition under which field f (at place) is written."""
    t = f.type
    if isinstance(t, (idl.Struct, idl.KeyedUnion)):
        return None                          # always written
    if isinstance(t, idl.Array):
        return "%s && %s%s" % (place, prefix, t.lenvar)
    init = f.default_init()
    if init is not None:
        if isinstance(t, idl.Number):
            # e.g. an int field whose default is an unsigned constant
            init = "(%s)(%s)" % (t.name, init)
        return "%s != %s" % (place, init)
    if t.is_default_fn is not None:
        return "!%s(&%s)" % (t.is_default_fn, place)
    return place


def emit_gen_map(o, t, prefix, depth):
    o("s = yajl_gen_map_open(hand);")
    check(o)
    for f in fields_of(t):
        place = prefix + f.name
        if isinstance(f.type, idl.KeyedUnion):
            ku = f.type
            o("switch (%s%s) {" % (prefix, ku.keyvar.name))
            for m in ku.fields:
                o("case %s:" % m.enumvalue.cname)
                o.indent()
                gen_key(o, "%s.%s" % (ku.keyvar.name, m.name))
                if m.type is None:
                    o("s = yajl_gen_map_open(hand);")
                    check(o)
                    o("s = yajl_gen_map_close(hand);")
                    check(o)
                else:
                    emit_gen(o, m.type, place + "." + m.name, prefix, depth)
                o("break;")
                o.dedent()
            o("default:")
            o("    break;")
            o("}")
            continue
        cond = not_default(f, place, prefix)
        if cond is not None:
            o("if (%s) {" % cond)
            o.indent()
        gen_key(o, f.name)
        emit_gen(o, f.type, place, prefix, depth)
        if cond is not None:
            o.dedent()
            o("}")
    o("s = yajl_gen_map_close(hand);")
    check(o)


def gen_json(o, t):
    o("yajl_gen_status %s(yajl_gen hand, %s *p)" % (t.gen_json_fn, t.name))
    o("{")
    o.indent()
    o("yajl_gen_status s;")
    o()
    start = o.mark()
    if isinstance(t, idl.Enumeration):
        o("s = libxl__yajl_gen_enum(hand, %s_to_string(*p));" % t.name)
    else:
        emit_gen_map(o, t, "p->", 0)
    if o.uses(start, "goto out"):
        o("out:")
    o("return s;")
    o.dedent()
    o("}")
    o()
    o("static yajl_gen_status %s_gen_any(yajl_gen hand, void *p)" % t.name)
    o("{")
    o("    return %s(hand, p);" % t.gen_json_fn)
    o("}")
    o()
    o("char *%s_to_json(libxl_ctx *ctx, %s)" % (t.name, t.decl("p")))
    o("{")
    o("    return libxl__object_to_json(ctx, \"%s\", %s_gen_any, %s);"
      % (t.name, t.name, "p" if t.passby == idl.BY_REFERENCE else "&p"))
    o("}")
    o()


#
# JSON parsing
#

def fail(o):
    o("rc = ERROR_FAIL;")
    o("goto out;")


def emit_parse(o, t, place, prefix, obj, depth):
    """Fills place (of type t) from the JSON object in variable obj."""
    if isinstance(t, idl.Array):
        i = "i%d" % depth
        o("if (!libxl__json_object_is_array(%s)) {" % obj)
        o.indent()
        fail(o)
        o.dedent()
        o("}")
        o("%s%s = libxl__json_array_count(%s);" % (prefix, t.lenvar, obj))
        o("%s = libxl__calloc(NOGC, %s%s, sizeof(*%s));" % (place, prefix,
                                                            t.lenvar, place))
        o("for (int %s = 0; %s < %s%s; %s++) {" % (i, i, prefix, t.lenvar, i))
        o.indent()
        elem = "%s[%s]" % (place, i)
        sub = "e%d" % depth
        o("const libxl__json_object *%s = libxl__json_array_get(%s, %s);"
          % (sub, obj, i))
        emit_init_element(o, t.elem, elem)
        emit_parse(o, t.elem, elem, prefix, sub, depth + 1)
        o.dedent()
        o("}")
    elif isinstance(t, idl.Enumeration):
        o("if (!libxl__json_object_is_string(%s)) {" % obj)
        o.indent()
        fail(o)
        o.dedent()
        o("}")
        o("rc = %s_from_string(libxl__json_object_get_string(%s), &%s);"
          % (t.name, obj, place))
        o("if (rc)")
        o("    goto out;")
    elif is_anon_struct(t):
        emit_parse_map(o, t, place + ".", obj, depth, None)
    else:
        o("rc = %s(gc, %s, &%s);" % (t.parse_json_fn, obj, place))
        o("if (rc)")
        o("    goto out;")


def emit_parse_map(o, t, prefix, obj, depth, top):
    sub = "x%d" % depth
    for f in fields_of(t):
        place = prefix + f.name
        o("{")
        o.indent()
        o("const libxl__json_object *%s;" % sub)
        o()
        if isinstance(f.type, idl.KeyedUnion):
            ku = f.type
            if top is None:
                raise Exception("keyed union %s must sit in a named struct"
                                % f.name)
            key = prefix + ku.keyvar.name
            init = key_init(ku) or "0"
            for m in ku.fields:
                o("%s = libxl__json_map_get(\"%s.%s\", %s, JSON_MAP);"
                  % (sub, ku.keyvar.name, m.name, obj))
                o("if (%s) {" % sub)
                o.indent()
                # Two members at once would be a contradiction.
                o("if (%s != %s) {" % (key, init))
                o.indent()
                fail(o)
                o.dedent()
                o("}")
                o("%s_%s(p, %s);" % (top.init_fn, ku.keyvar.name,
                                     m.enumvalue.cname))
                if m.type is not None:
                    emit_parse_map(o, m.type, place + "." + m.name + ".", sub,
                                   depth + 1, None)
                o.dedent()
                o("}")
        else:
            o("%s = libxl__json_map_get(\"%s\", %s, %s);"
              % (sub, f.name, obj, f.type.json_kinds))
            o("if (%s) {" % sub)
            o.indent()
            emit_parse(o, f.type, place, prefix, sub, depth + 1)
            o.dedent()
            o("}")
        o.dedent()
        o("}")


def gen_parse(o, t):
    o("int %s(libxl__gc *gc, const libxl__json_object *o, %s *p)"
      % (t.parse_json_fn, t.name))
    o("{")
    o.indent()
    o("int rc = 0;")
    o()
    start = o.mark()
    if isinstance(t, idl.Enumeration):
        emit_parse(o, t, "*p", "", "o", 0)
    else:
        o("if (!libxl__json_object_is_map(o)) {")
        o.indent()
        fail(o)
        o.dedent()
        o("}")
        emit_parse_map(o, t, "p->", "o", 0, t)
    if o.uses(start, "goto out"):
        o("out:")
    o("return rc;")
    o.dedent()
    o("}")
    o()
    o("static int %s_parse_any(libxl__gc *gc, const libxl__json_object *o,"
      % t.name)
    o("                        void *p)")
    o("{")
    o("    return %s(gc, o, p);" % t.parse_json_fn)
    o("}")
    o()
    o("int %s_from_json(libxl_ctx *ctx, %s *p, const char *s)" % (t.name,
                                                                 t.name))
    o("{")
    if not isinstance(t, idl.Enumeration):
        o("    %s(p);" % t.init_fn)
    o("    return libxl__object_from_json(ctx, \"%s\", %s_parse_any, p, s);"
      % (t.name, t.name))
    o("}")
    o()


#
# Files
#

def header(path, argv, body, includes=""):
    guard = os.path.basename(path).upper().replace(".", "_")
    return ("#ifndef %s\n#define %s\n\n/*\n * Generated by %s from %s:\n"
            " * do not edit.\n */\n\n%s%s\n#endif /* %s */\n"
            % (guard, guard, os.path.basename(argv[0]),
               os.path.basename(argv[1]), includes, body, guard))


def public_prototypes(t):
    s = c_typedef(t)
    if isinstance(t, idl.Enumeration):
        s += "const char *%s_to_string(%s e);\n" % (t.name, t.name)
        s += "int %s_from_string(const char *s, %s *e);\n" % (t.name, t.name)
        s += "extern libxl_enum_string_table %s_string_table[];\n" % t.name
    else:
        s += "void %s(%s *p);\n" % (t.init_fn, t.name)
        for f in keyed_unions(t):
            ku = f.type
            s += "void %s_%s(%s *p, %s %s);\n" % (
                t.init_fn, ku.keyvar.name, t.name, ku.keyvar.type.name,
                ku.keyvar.name)
        s += "void %s(%s *p);\n" % (t.dispose_fn, t.name)
        s += "void %s(libxl_ctx *ctx, %s *dst, const %s *src);\n" % (
            t.copy_fn, t.name, t.name)
    if t.gen_json_fn is not None:
        s += "char *%s_to_json(libxl_ctx *ctx, %s);\n" % (t.name, t.decl("p"))
        s += "int %s_from_json(libxl_ctx *ctx, %s *p, const char *s);\n" % (
            t.name, t.name)
    return s + "\n"


def main(argv):
    if len(argv) not in (6, 7):
        sys.stderr.write("usage: %s IDL TYPES_H JSON_H PRIVATE_H TYPES_C "
                         "[TEST_C]\n"
                         % argv[0])
        return 1
    types = [t for t in idl.parse(argv[1]) if t.generated]
    json_types = [t for t in types if t.gen_json_fn is not None]

    pub = "".join(public_prototypes(t) for t in types)
    js = "".join("yajl_gen_status %s(yajl_gen hand, %s *p);\n"
                 % (t.gen_json_fn, t.name) for t in json_types)
    priv = "".join("int %s(libxl__gc *gc, const libxl__json_object *o, "
                   "%s *p);\n" % (t.parse_json_fn, t.name) for t in json_types)
    priv += "".join("int %s(libxl_ctx *ctx, %s *p);\n"
                    % (t.copy_deprecated_fn, t.name)
                    for t in types if t.copy_deprecated_fn)

    o = Out()
    o("/*")
    o(" * Generated by %s from %s: do not edit."
      % (os.path.basename(argv[0]), os.path.basename(argv[1])))
    o(" */")
    o()
    o("#include <assert.h>")
    o("#include <stdlib.h>")
    o("#include <string.h>")
    o()
    o("#include \"libxl_internal.h\"")
    o()
    for t in types:
        if isinstance(t, idl.Enumeration):
            gen_enum(o, t)
        else:
            gen_init(o, t)
            gen_dispose(o, t)
            gen_copy(o, t)
            if t.copy_deprecated_fn:
                gen_copy_deprecated(o, t)
        if t.gen_json_fn is not None:
            gen_json(o, t)
            gen_parse(o, t)

    outputs = [(argv[2], header(argv[2], argv, pub)),
               (argv[3], header(argv[3], argv, js)),
               (argv[4], header(argv[4], argv, priv)),
               (argv[5], o.text())]
    if len(argv) == 7:
        t = Out()
        gentest.write(t, types)
        outputs.append((argv[6], t.text()))
    for path, text in outputs:
        # Write through a temporary so that a failed run leaves no
        # half-written file for make to trust.
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.rename(path + ".tmp", path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
