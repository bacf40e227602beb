# Vocabulary of libxl_types.idl: the kinds of types a libxl type can be,
# and what each kind needs to know to have C code generated for it
# (see gentypes.py).  An IDL file is Python executed with these names in
# scope; every type it binds to a name becomes part of the output, in
# the order of the file.

BY_VALUE = "value"
BY_REFERENCE = "reference"

_settings = {"namespace": "libxl_"}


def namespace(prefix):
    """Prefix given to the C name of every type declared after this."""
    _settings["namespace"] = prefix


class Type(object):
    """Anything a field can hold.

    Keyword arguments common to all kinds:
      namespace     C prefix (None: the name is already a C type)
      passby        BY_VALUE or BY_REFERENCE when passed to functions
      private       never copied nor carried in JSON (e.g. list links)
      init_val      C expression a fresh instance holds (default: zero)
      init_fn       function initialising an instance in place
      dispose_fn    function releasing what an instance owns
      copy_fn       function deep-copying an instance (ctx, dst, src)
      is_default_fn predicate "holds its default" (pointer argument)
      gen_json_fn   yajl generator (hand, value or pointer)
      parse_json_fn parser (gc, json object, pointer)
      json_kinds    JSON node kinds the parser accepts (C expression)
    """

    def __init__(self, name, **kw):
        ns = kw.get("namespace", _settings["namespace"])
        self.rawname = name
        self.name = None if name is None else (ns or "") + name
        self.namespace = ns
        self.passby = kw.get("passby", BY_VALUE)
        self.private = kw.get("private", False)
        self.init_val = kw.get("init_val")
        self.init_fn = kw.get("init_fn")
        self.is_default_fn = kw.get("is_default_fn")
        named = self.name is not None
        self.dispose_fn = kw.get("dispose_fn",
                                 self.name + "_dispose" if named else None)
        self.copy_fn = kw.get("copy_fn", self.name + "_copy" if named else None)
        json = named and not self.private
        self.gen_json_fn = kw.get("gen_json_fn",
                                  self.name + "_gen_json" if json else None)
        self.parse_json_fn = kw.get("parse_json_fn",
                                    ("libxl__" + name + "_parse_json")
                                    if json else None)
        self.json_kinds = kw.get("json_kinds", "JSON_ANY")
        self.copy_deprecated_fn = kw.get("copy_deprecated_fn")
        # Whether gentypes.py writes the functions or they are hand-written.
        self.generated = kw.get("generated", True)

    def decl(self, var):
        """C declaration of a parameter holding (or pointing at) a value."""
        if self.passby == BY_REFERENCE:
            return "%s *%s" % (self.name, var)
        return "%s %s" % (self.name, var)

    def ref(self, expr):
        """Pointer to the lvalue expr."""
        return "&" + expr

    def arg(self, expr):
        """How to pass the lvalue expr according to passby."""
        return "&" + expr if self.passby == BY_REFERENCE else expr


class Builtin(Type):
    """A type written by hand in C: gentypes.py only calls its functions."""

    def __init__(self, name, **kw):
        kw.setdefault("dispose_fn", None)
        kw.setdefault("generated", False)
        Type.__init__(self, name, **kw)


class Number(Builtin):
    def __init__(self, ctype, **kw):
        kw.setdefault("namespace", None)
        kw.setdefault("copy_fn", None)
        kw.setdefault("gen_json_fn", "yajl_gen_integer")
        kw.setdefault("parse_json_fn", "libxl__int_parse_json")
        kw.setdefault("json_kinds", "JSON_INTEGER")
        Builtin.__init__(self, ctype, **kw)


class UInt(Number):
    def __init__(self, width, **kw):
        kw.setdefault("parse_json_fn", "libxl__uint%d_parse_json" % width)
        if width == 64:
            # Values past LLONG_MAX reach the parser as JSON_NUMBER.
            kw.setdefault("gen_json_fn", "libxl__uint64_gen_json")
            kw.setdefault("json_kinds", "JSON_INTEGER | JSON_NUMBER")
        Number.__init__(self, "uint%d_t" % width, **kw)
        self.width = width


class EnumValue(object):
    def __init__(self, enum, num, name):
        self.enum = enum
        self.num = num
        self.valuename = name.upper()
        # The C constant, e.g. LIBXL_DOMAIN_TYPE_HVM or ERROR_FAIL.
        self.cname = (enum.value_namespace.upper() + enum.rawname.upper() +
                      "_" + self.valuename)
        self.string = name.lower()


class Enumeration(Type):
    def __init__(self, name, values, **kw):
        kw.setdefault("dispose_fn", None)
        kw.setdefault("copy_fn", None)
        kw.setdefault("json_kinds", "JSON_STRING")
        Type.__init__(self, name, **kw)
        self.value_namespace = kw.get("value_namespace", self.namespace)
        self.values = [EnumValue(self, n, s) for (n, s) in values]

    def lookup(self, name):
        for v in self.values:
            if v.valuename == name.upper():
                return v
        raise ValueError("%s has no value %s" % (self.name, name))


class Field(object):
    def __init__(self, ftype, name, const=False, init_val=None,
                 deprecated_by=None, enumvalue=None):
        self.type = ftype
        self.name = name
        self.const = const
        self.init_val = init_val
        self.deprecated_by = deprecated_by
        self.enumvalue = enumvalue     # for members of a KeyedUnion

    def default_init(self):
        if self.init_val is not None:
            return self.init_val
        return self.type.init_val


class Aggregate(Type):
    def __init__(self, kind, name, fields, **kw):
        kw.setdefault("json_kinds", "JSON_MAP")
        Type.__init__(self, name, **kw)
        if self.name is not None:
            self.init_fn = kw.get("init_fn", self.name + "_init")
        self.kind = kind
        self.fields = []
        for f in fields:
            opts = f[2] if len(f) == 3 else {}
            self.fields.append(Field(f[1], f[0], **opts))


class Struct(Aggregate):
    """A C struct; anonymous (name None) when nested in another type."""

    def __init__(self, name, fields, **kw):
        kw.setdefault("passby", BY_REFERENCE)
        Aggregate.__init__(self, "struct", name, fields, **kw)


class KeyedUnion(Aggregate):
    """A union whose active member is named by an enumeration field
    (keyvar) that sits just before it in the enclosing struct."""

    def __init__(self, name, keytype, keyname, members, **kw):
        Aggregate.__init__(self, "union", name, [], **kw)
        if not isinstance(keytype, Enumeration):
            raise TypeError("KeyedUnion key must be an Enumeration")
        self.keyvar = Field(keytype, keyname, init_val=kw.get("key_init_val"))
        for (member, mtype) in members:
            self.fields.append(Field(mtype, member,
                                     enumvalue=keytype.lookup(member)))


class Array(Type):
    """A malloc'd array with its length in a sibling int field."""

    def __init__(self, elem, lenvar, **kw):
        kw.setdefault("dispose_fn", "free")
        kw.setdefault("json_kinds", "JSON_ARRAY")
        kw["namespace"] = elem.namespace
        Type.__init__(self, elem.rawname + " *", **kw)
        self.elem = elem
        self.lenvar = lenvar


def parse(path):
    """Runs the IDL file; returns its types in the order they appear."""
    scope = dict((k, v) for (k, v) in globals().items()
                 if k in ("namespace", "BY_VALUE", "BY_REFERENCE")
                 or isinstance(v, Type)
                 or (isinstance(v, type) and issubclass(v, Type)))
    names = {}
    with open(path) as f:
        code = compile(f.read(), path, "exec")
    exec(code, scope, names)
    # dicts keep insertion order (Python 3.7+): the file's order.
    return [t for t in names.values() if isinstance(t, Type)]


# Types of the C language itself.
void = Builtin("void *", namespace=None)
bool = Number("bool", gen_json_fn="yajl_gen_bool",
              parse_json_fn="libxl__bool_parse_json", json_kinds="JSON_BOOL")
integer = Number("int")
size_t = Number("size_t")
uint8 = UInt(8)
uint16 = UInt(16)
uint32 = UInt(32)
uint64 = UInt(64)
string = Builtin("char *", namespace=None, dispose_fn="free",
                 copy_fn="libxl_string_copy",
                 gen_json_fn="libxl__string_gen_json",
                 parse_json_fn="libxl__string_parse_json",
                 json_kinds="JSON_STRING | JSON_NULL",
                 is_default_fn="libxl__string_is_default")
