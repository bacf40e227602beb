/*
 * Unit tests of xlu_disk_parse (xl-disk-configuration(5)). The expected
 * results of the valid specs were checked against upstream xl 4.17
 * (`xl -N create', "disks" section), except trusted/untrusted which
 * Debian's 4.17 build does not know although 4.17 documents them.
 * Also the PCI, rdm and vif-rate spec parsers.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxlutil.h"

#ifndef LIBXL_PCI_FUNC_ALL /* upstream libxl.h has it */
#define LIBXL_PCI_FUNC_ALL (~0U)
#endif

static const char *const formats[] = {
    "unknown", "qcow", "qcow2", "vhd", "raw", "empty", "qed",
};
static const char *const backends[] = {
    "unknown", "phy", "tap", "qdisk", "standalone",
};

static void put(char *buf, size_t sz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void put(char *buf, size_t sz, const char *fmt, ...)
{
    size_t l = strlen(buf);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf + l, sz - l, fmt, ap);
    va_end(ap);
}

static void put_str(char *buf, size_t sz, const char *name, const char *v)
{
    if (v)
        put(buf, sz, "%s=%s ", name, v);
}

static void put_defbool(char *buf, size_t sz, const char *name,
                        libxl_defbool b)
{
    if (!libxl_defbool_is_default(b))
        put(buf, sz, "%s=%s ", name, libxl_defbool_val(b) ? "on" : "off");
}

/* The fields a spec can set, non-default ones only, in a fixed order. */
static void describe(char *buf, size_t sz, const libxl_device_disk *d)
{
    buf[0] = 0;
    put_str(buf, sz, "target", d->pdev_path);
    put_str(buf, sz, "vdev", d->vdev);
    put_str(buf, sz, "backend", d->backend_domname);
    if (d->backend)
        put(buf, sz, "backendtype=%s ", backends[d->backend]);
    put(buf, sz, "format=%s ", formats[d->format]);
    put_str(buf, sz, "script", d->script);
    put(buf, sz, "%s ", d->readwrite ? "rw" : "ro");
    if (d->removable)
        put(buf, sz, "removable ");
    if (d->is_cdrom)
        put(buf, sz, "cdrom ");
    if (d->direct_io_safe)
        put(buf, sz, "direct-io-safe ");
    put_defbool(buf, sz, "discard", d->discard_enable);
    if (d->specification)
        put(buf, sz, "specification=%s ",
            d->specification == LIBXL_DISK_SPECIFICATION_XEN ? "xen"
                                                             : "virtio");
    put_defbool(buf, sz, "colo", d->colo_enable);
    put_str(buf, sz, "colo-host", d->colo_host);
    if (d->colo_port)
        put(buf, sz, "colo-port=%d ", d->colo_port);
    put_str(buf, sz, "colo-export", d->colo_export);
    put_str(buf, sz, "active-disk", d->active_disk);
    put_str(buf, sz, "hidden-disk", d->hidden_disk);
    put_defbool(buf, sz, "trusted", d->trusted);
    if (buf[0])
        buf[strlen(buf) - 1] = 0;
}

typedef struct {
    FILE *rep;
    char *buf;
    size_t len;
    XLU_Config *cfg;
} R;

static void r_open(R *r)
{
    r->buf = NULL;
    r->rep = open_memstream(&r->buf, &r->len);
    assert_non_null(r->rep);
    r->cfg = xlu_cfg_init(r->rep, "guest.cfg");
    assert_non_null(r->cfg);
}

static const char *r_close(R *r)
{
    static char last[1024];

    xlu_cfg_destroy(r->cfg);
    fclose(r->rep);
    snprintf(last, sizeof(last), "%s", r->buf);
    free(r->buf);
    return last;
}

/* Parses nspecs specs; returns the rc, the description and the report. */
static int parse(int nspecs, const char *const *specs, char *desc,
                 size_t sz, const char **report)
{
    libxl_device_disk d;
    R r;
    int rc;

    r_open(&r);
    libxl_device_disk_init(&d);
    rc = xlu_disk_parse(r.cfg, nspecs, specs, &d);
    describe(desc, sz, &d);
    libxl_device_disk_dispose(&d);
    *report = r_close(&r);
    return rc;
}

static const struct {
    const char *spec, *want;
} good[] = {
    /* The equivalent examples of xl-disk-configuration(5). */
    { "/dev/vg/guest-volume,,hda",
      "target=/dev/vg/guest-volume vdev=hda format=raw rw" },
    { "/dev/vg/guest-volume,raw,hda,rw",
      "target=/dev/vg/guest-volume vdev=hda format=raw rw" },
    { "format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume",
      "target=/dev/vg/guest-volume vdev=hda format=raw rw" },
    { "raw:/dev/vg/guest-volume,hda,w",
      "target=/dev/vg/guest-volume vdev=hda format=raw rw" },
    { "/root/image.iso,,hdc,cdrom",
      "target=/root/image.iso vdev=hdc format=raw ro removable cdrom" },
    { "/root/image.iso,,hdc,,cdrom",
      "target=/root/image.iso vdev=hdc format=raw ro removable cdrom" },
    { "/root/image.iso,raw,hdc,devtype=cdrom",
      "target=/root/image.iso vdev=hdc format=raw ro removable cdrom" },
    { "format=raw, vdev=hdc, access=ro, devtype=cdrom, "
      "target=/root/image.iso",
      "target=/root/image.iso vdev=hdc format=raw ro removable cdrom" },
    { "raw:/root/image.iso,hdc:cdrom,ro",
      "target=/root/image.iso vdev=hdc format=raw ro removable cdrom" },
    /* Legacy prefixes. */
    { "file:/tmp/a.img,xvda,w", "target=/tmp/a.img vdev=xvda format=raw rw" },
    { "phy:/dev/sda,xvda,r", "target=/dev/sda vdev=xvda format=raw ro" },
    { "tap:qcow2:/tmp/a.qcow2,xvdb,w",
      "target=/tmp/a.qcow2 vdev=xvdb format=qcow2 rw" },
    { "tap:aio:/tmp/a.img,xvdb,w",
      "target=/tmp/a.img vdev=xvdb format=raw rw" },
    { "tap2:vhd:/tmp/a.vhd,xvdb", "target=/tmp/a.vhd vdev=xvdb format=vhd rw" },
    { "tapdisk:ioemu:/a,xvdb", "target=/a vdev=xvdb format=raw rw" },
    { "qcow2:/tmp/a.img,xvda,rw",
      "target=/tmp/a.img vdev=xvda format=qcow2 rw" },
    { "qcow:/tmp/a.img,xvda,ro", "target=/tmp/a.img vdev=xvda format=qcow ro" },
    { "vhd:/tmp/a.img,xvda", "target=/tmp/a.img vdev=xvda format=vhd rw" },
    { "iscsi:iqn.2001-05.com.example:x,xvda,w",
      "target=iqn.2001-05.com.example:x vdev=xvda format=raw "
      "script=block-iscsi rw" },
    { "nbd:host:1234,xvda",
      "target=host:1234 vdev=xvda format=raw script=block-nbd rw" },
    { "enbd:h,xvda", "target=h vdev=xvda format=raw script=block-enbd rw" },
    { "drbd:res0,xvda,w",
      "target=res0 vdev=xvda format=raw script=block-drbd rw" },
    { "file:,xvda", "target= vdev=xvda format=raw rw" },
    { "file: /x,xvda", "target=/x vdev=xvda format=raw rw" },
    { "tap:tap:/a,xvda", "target=/a vdev=xvda format=raw rw" },
    { "file:file:/a,xvda", "target=/a vdev=xvda format=raw rw" },
    /* A word, a colon and a letter is no prefix. */
    { "cdrom:x,,xvda", "target=cdrom:x vdev=xvda format=raw rw" },
    { "/a,raw,xvda  ", "target=/a vdev=xvda   format=raw rw" },
    { "a,  ,xvda", "target=a vdev=xvda format=raw rw" },
    /* Empty CD-ROM drives. */
    { ",,hdc:cdrom,r", "target= vdev=hdc format=empty ro removable cdrom" },
    { ",hdc:cdrom,r", "target= vdev=hdc format=empty ro removable cdrom" },
    { ",,hdc,cdrom", "target= vdev=hdc format=empty ro removable cdrom" },
    { "vdev=hdc,devtype=cdrom", "vdev=hdc format=empty ro removable cdrom" },
    { "vdev=hdc,cdrom", "vdev=hdc format=empty ro removable cdrom" },
    { "/tmp/a.img,,xvda,cdrom,w",
      "target=/tmp/a.img vdev=xvda format=raw ro removable cdrom" },
    /* Formats. */
    { "/a,qcow2,xvda,w", "target=/a vdev=xvda format=qcow2 rw" },
    { "/a,qcow,xvda", "target=/a vdev=xvda format=qcow rw" },
    { "/a,qed,xvda", "target=/a vdev=xvda format=qed rw" },
    { "/a,vhd,xvda", "target=/a vdev=xvda format=vhd rw" },
    { "/a,empty,xvda", "target=/a vdev=xvda format=empty rw" },
    { "/a,raw,xvda,format=raw", "target=/a vdev=xvda format=raw rw" },
    /* Positional and named forms, blanks, empty values. */
    { "/a,,xvda,,", "target=/a vdev=xvda format=raw rw" },
    { ",,xvda", "target= vdev=xvda format=raw rw" },
    { "  /a,  raw,  xvda,  ro", "target=/a vdev=xvda format=raw ro" },
    { "vdev=xvda,target=/tmp/a,b,c", "target=/tmp/a,b,c vdev=xvda format=raw "
                                     "rw" },
    { "vdev=hda,access=w,target=", "target= vdev=hda format=raw rw" },
    { ",,xvda,target=/b", "target=/b vdev=xvda format=raw rw" },
    { "/a,,xvda:disk", "target=/a vdev=xvda format=raw rw" },
    { "/a,,xvda,access=r", "target=/a vdev=xvda format=raw ro" },
    { "/a,,xvda,access=ro", "target=/a vdev=xvda format=raw ro" },
    { "/a,,xvda,access=", "target=/a vdev=xvda format=raw rw" },
    { "/a,,xvda,devtype=disk", "target=/a vdev=xvda format=raw rw" },
    /* Other keywords and flags. */
    { "/a,,xvda,backendtype=phy",
      "target=/a vdev=xvda backendtype=phy format=raw rw" },
    { "/a,,xvda,backendtype=qdisk",
      "target=/a vdev=xvda backendtype=qdisk format=raw rw" },
    { "/a,,xvda,backendtype=tap",
      "target=/a vdev=xvda backendtype=tap format=raw rw" },
    { "/a,,xvda,backendtype=standalone",
      "target=/a vdev=xvda backendtype=standalone format=raw rw" },
    { "/a,,xvda,backend=dd1",
      "target=/a vdev=xvda backend=dd1 format=raw rw" },
    { "/a,,xvda,script=block-iscsi",
      "target=/a vdev=xvda format=raw script=block-iscsi rw" },
    { "/a,,xvda,direct-io-safe",
      "target=/a vdev=xvda format=raw rw direct-io-safe" },
    { "/a,,xvda,discard", "target=/a vdev=xvda format=raw rw discard=on" },
    { "/a,,xvda,no-discard", "target=/a vdev=xvda format=raw rw discard=off" },
    { "/a,,hdc,cdrom,discard",
      "target=/a vdev=hdc format=raw ro removable cdrom discard=on" },
    { "/a,,xvda,trusted", "target=/a vdev=xvda format=raw rw trusted=on" },
    { "/a,,xvda,untrusted", "target=/a vdev=xvda format=raw rw trusted=off" },
    { "/a,,xvda,specification=virtio",
      "target=/a vdev=xvda format=raw rw specification=virtio" },
    { "/a,,xvda,specification=xen",
      "target=/a vdev=xvda format=raw rw specification=xen" },
    { "/a,,xvda,colo,colo-host=h,colo-port=7777,colo-export=e,"
      "active-disk=/x,hidden-disk=/h",
      "target=/a vdev=xvda format=raw rw colo=on colo-host=h colo-port=7777 "
      "colo-export=e active-disk=/x hidden-disk=/h" },
    { "/a,,xvda,no-colo", "target=/a vdev=xvda format=raw rw colo=off" },
};

static void test_good_specs(void **state)
{
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        const char *report;
        char desc[512];

        if (parse(1, &good[i].spec, desc, sizeof(desc), &report))
            fail_msg("spec `%s' refused: %s", good[i].spec, report);
        assert_string_equal(report, "");
        if (strcmp(desc, good[i].want))
            fail_msg("spec `%s':\n got  %s\n want %s", good[i].spec, desc,
                     good[i].want);
    }
}

static void test_multiple_specs(void **state)
{
    static const char *const specs[] = {
        "format=qcow2", "vdev=xvdc", "target=/img/x,y",
    };
    static const char *const conflict[] = { "/a,,xvda", "vdev=xvdb" };
    const char *report;
    char desc[512];

    assert_int_equal(parse(3, specs, desc, sizeof(desc), &report), 0);
    assert_string_equal(desc, "target=/img/x,y vdev=xvdc format=qcow2 rw");

    assert_int_equal(parse(2, conflict, desc, sizeof(desc), &report),
                     EINVAL);
    assert_string_equal(report,
                        "guest.cfg: invalid disk specification `vdev=xvdb': "
                        "vdev given more than once (at `xvdb')\n");

    /* nspecs == 0 leaves the mandatory vdev missing. */
    assert_int_equal(parse(0, NULL, desc, sizeof(desc), &report), EINVAL);
    assert_string_equal(report, "guest.cfg: invalid disk specification `': "
                                "no vdev (virtual device) given\n");
}

static const struct {
    const char *spec, *report;
} bad[] = {
    { "/a,bogus,xvda",
      "unknown format (expected raw, qcow, qcow2, vhd, qed or empty) "
      "(at `bogus')" },
    { "/a,,xvda,format=bogus",
      "unknown format (expected raw, qcow, qcow2, vhd, qed or empty) "
      "(at `bogus')" },
    { "/a,raw,xvda,x", "unknown access (expected r, ro, w or rw) (at `x')" },
    { "/a,,xvda,access=bad",
      "unknown access (expected r, ro, w or rw) (at `bad')" },
    { "/a,raw,xvda,w,extra",
      "too many positional parameters (expected at most target, format, "
      "vdev, access) (at `extra')" },
    { "target=/a,vdev=xvda", "no vdev (virtual device) given" },
    { "/a", "no vdev (virtual device) given" },
    { "cdrom", "no vdev (virtual device) given" },
    { "vdev=xvda", "no target given (only a CD-ROM may have none)" },
    { "/a,,xvda,backendtype=foo",
      "unknown backendtype (expected phy, tap, qdisk or standalone) "
      "(at `foo')" },
    { "/a,,xvda,backendtype=phy,backendtype=tap",
      "backendtype given more than once (at `tap')" },
    { "/a,,xvda,specification=foo",
      "unknown specification (expected xen or virtio) (at `foo')" },
    { "/a,,xvda,specification=xen,specification=virtio",
      "specification given more than once (at `virtio')" },
    { "/a,,xvda,devtype=floppy",
      "unknown devtype (expected disk or cdrom) (at `floppy')" },
    { "/a,,xvda,foo=bar", "unknown parameter (at `foo=bar')" },
    { "/a,,xvda,foo=", "unknown parameter (at `foo=')" },
    { "/a,,xvda,vdev=xvdb", "vdev given more than once (at `xvdb')" },
    { "/a,,xvda,target=/b", "target given more than once (at `/b')" },
    { "/a,,xvda,backend=x,backend=y", "backend given more than once "
                                      "(at `y')" },
    { "/a,,xvda,script=x,script=y", "script given more than once (at `y')" },
    { "/a,raw,xvda,format=qcow2", "format given more than once (at `qcow2')" },
    { "/a,,xvda,format=qcow2", "format given more than once (at `qcow2')" },
    { "raw:/a,xvda,format=qcow2", "format given more than once (at `qcow2')" },
    { "/a,,xvda,colo-port=0",
      "colo-port must be a port number from 1 to 65535 (at `0')" },
    { "/a,,xvda,colo-port=70000",
      "colo-port must be a port number from 1 to 65535 (at `70000')" },
    { "/a,,xvda,colo-port=12x",
      "colo-port must be a port number from 1 to 65535 (at `12x')" },
    { "foo:/a,xvda", "unknown legacy disk prefix `foo:'" },
    { "foo:,xvda", "unknown legacy disk prefix `foo:'" },
    { "cdrom:/x,,xvda", "unknown legacy disk prefix `cdrom:'" },
    { "file:bar:/x,xvda", "unknown legacy disk prefix `bar:'" },
    { "raw:qcow2:/a,xvda", "format given more than once (at `qcow2')" },
    { "iscsi:nbd:/a,xvda", "script given more than once (at `block-nbd')" },
    { "phy:=x", "bad disk syntax (at `=x')" },
    { "/a,,xvda:foo",
      "unknown device type after `xvda:' (expected cdrom or disk) "
      "(at `foo')" },
    { "/a=b,,xvda", "bad disk syntax (at `=b,,xvda')" },
    { "=", "bad disk syntax (at `=')" },
    { "/a ,raw ,xvda ,rw",
      "unknown format (expected raw, qcow, qcow2, vhd, qed or empty) "
      "(at `raw ')" },
    /* After a prefix there is no format positional: xvda is the access. */
    { "phy:/dev/sda,,xvda",
      "unknown access (expected r, ro, w or rw) (at `xvda')" },
};

static void test_bad_specs(void **state)
{
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *report;
        char desc[512], want[512];

        assert_int_equal(parse(1, &bad[i].spec, desc, sizeof(desc), &report),
                         EINVAL);
        snprintf(want, sizeof(want),
                 "guest.cfg: invalid disk specification `%s': %s\n",
                 bad[i].spec, bad[i].report);
        assert_string_equal(report, want);
    }
}

static void test_linear_time(void **state)
{
    /* Specs made of many prefixes or blanks are scanned in linear time
     * (quadratic scanning would take minutes here). */
    static const char *const units[] = { "file:", " file: ", " ,", "tap:" };
    size_t n = 200000, i, u;

    for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        size_t ul = strlen(units[u]);
        char *spec = malloc(n * ul + 16), desc[512];
        const char *sp = spec, *report;

        assert_non_null(spec);
        for (i = 0; i < n; i++)
            memcpy(spec + i * ul, units[u], ul);
        strcpy(spec + n * ul, "/a,xvda");
        /* Repeated prefixes are fine; " ," makes a spec with too many
         * positional parameters. */
        assert_int_equal(parse(1, &sp, desc, sizeof(desc), &report),
                         u == 2 ? EINVAL : 0);
        /* Messages quote a huge spec only in part. */
        assert_true(strlen(report) < 600);
        if (u == 2)
            assert_non_null(strstr(report, " , ,...': too many "));
        free(spec);
    }
}

static void test_odd_bytes(void **state)
{
    /* Every single byte and pairs with it must be handled cleanly. */
    int c;

    for (c = 1; c < 256; c++) {
        char spec[8];
        const char *sp = spec, *report;
        char desc[512];
        int rc;

        snprintf(spec, sizeof(spec), "%c,,x%c", c, c);
        rc = parse(1, &sp, desc, sizeof(desc), &report);
        assert_true(rc == 0 || rc == EINVAL);
        assert_true(rc == 0 ? !*report : !!*report);
    }
}

/*----- PCI, rdm, vif rate -----*/

static void test_pci(void **state)
{
    libxl_device_pci pci;
    R r;

    r_open(&r);
    libxl_device_pci_init(&pci);
    assert_int_equal(xlu_pci_parse_bdf(r.cfg, &pci, "0000:03:1f.7"), 0);
    assert_int_equal(pci.domain, 0);
    assert_int_equal(pci.bus, 3);
    assert_int_equal(pci.dev, 0x1f);
    assert_int_equal(pci.func, 7);
    assert_int_equal(pci.vfunc_mask, 1);
    assert_int_equal(xlu_pci_parse_bdf(r.cfg, &pci, "ab:01.2"), 0);
    assert_int_equal(pci.bus, 0xab);
    assert_int_equal(xlu_pci_parse_bdf(r.cfg, &pci, "00:20.0"), ERROR_INVAL);
    assert_int_equal(xlu_pci_parse_bdf(r.cfg, &pci, "00:01.8"), ERROR_INVAL);
    assert_int_equal(xlu_pci_parse_bdf(r.cfg, &pci, "1:00:01.0x"),
                     ERROR_INVAL);
    assert_int_equal(xlu_pci_parse_bdf(r.cfg, &pci, "01.0"), ERROR_INVAL);

    assert_int_equal(xlu_pci_parse_spec_string(r.cfg, &pci,
                                               "1:02:03.*@4,permissive=1,"
                                               "msitranslate=1,seize=1,"
                                               "power_mgmt=1,"
                                               "rdm_policy=relaxed"), 0);
    assert_int_equal(pci.domain, 1);
    assert_int_equal(pci.vfunc_mask, LIBXL_PCI_FUNC_ALL);
    assert_int_equal(pci.vdevfn, 4 << 3);
    assert_true(pci.permissive && pci.msitranslate && pci.seize &&
                pci.power_mgmt);
    assert_int_equal(pci.rdm_policy, LIBXL_RDM_RESERVE_POLICY_RELAXED);
    libxl_device_pci_dispose(&pci);

    libxl_device_pci_init(&pci);
    assert_int_equal(xlu_pci_parse_spec_string(r.cfg, &pci, "name=nic0"), 0);
    assert_string_equal(pci.name, "nic0");
    assert_int_equal(xlu_pci_parse_spec_string(r.cfg, &pci,
                                               "bdf=00:01.0,name=x"),
                     ERROR_INVAL);
    assert_int_equal(xlu_pci_parse_spec_string(r.cfg, &pci, "vslot=3"),
                     ERROR_INVAL);
    assert_int_equal(xlu_pci_parse_spec_string(r.cfg, &pci, "00:01.0,bogus=1"),
                     ERROR_INVAL);
    libxl_device_pci_dispose(&pci);
    assert_string_equal(r_close(&r),
        "guest.cfg: invalid PCI specification `00:20.0': expected "
        "[DOMAIN:]BUS:DEVICE.FUNCTION\n"
        "guest.cfg: invalid PCI specification `00:01.8': expected "
        "[DOMAIN:]BUS:DEVICE.FUNCTION\n"
        "guest.cfg: invalid PCI specification `1:00:01.0x': expected "
        "[DOMAIN:]BUS:DEVICE.FUNCTION\n"
        "guest.cfg: invalid PCI specification `01.0': expected "
        "[DOMAIN:]BUS:DEVICE.FUNCTION\n"
        "guest.cfg: invalid PCI specification `bdf=00:01.0,name=x': give a "
        "BDF or name=, not both\n"
        "guest.cfg: invalid PCI specification `vslot=3': no BDF or name= "
        "given\n"
        "guest.cfg: invalid PCI specification `00:01.0,bogus=1': unknown "
        "option `bogus'\n");
}

static void test_rdm(void **state)
{
    libxl_rdm_reserve rdm;
    R r;

    r_open(&r);
    memset(&rdm, 0, sizeof(rdm));
    assert_int_equal(xlu_rdm_parse(r.cfg, &rdm, "strategy=host,policy=strict"),
                     0);
    assert_int_equal(rdm.strategy, LIBXL_RDM_RESERVE_STRATEGY_HOST);
    assert_int_equal(rdm.policy, LIBXL_RDM_RESERVE_POLICY_STRICT);
    assert_int_equal(xlu_rdm_parse(r.cfg, &rdm, "policy=relaxed"), 0);
    assert_int_equal(rdm.policy, LIBXL_RDM_RESERVE_POLICY_RELAXED);
    assert_int_equal(xlu_rdm_parse(r.cfg, &rdm, "strategy=guest"),
                     ERROR_INVAL);
    assert_int_equal(xlu_rdm_parse(r.cfg, &rdm, "policy=strict,"),
                     ERROR_INVAL);
    assert_int_equal(xlu_rdm_parse(r.cfg, &rdm, "size=1"), ERROR_INVAL);
    assert_string_equal(r_close(&r),
        "guest.cfg: invalid rdm `strategy=guest': unknown strategy "
        "(expected host)\n"
        "guest.cfg: invalid rdm `policy=strict,': expected "
        "KEY=VALUE[,KEY=VALUE]\n"
        "guest.cfg: invalid rdm `size=1': unknown option `size'\n");
}

static void test_vif_rate(void **state)
{
    static const struct {
        const char *rate;
        int rc;
        uint64_t bytes;
        uint32_t usecs;
    } cases[] = {
        { "10MB/s", 0, 500000, 50000 },
        { "10Mb/s", 0, 62500, 50000 },
        { "1GB/s@20ms", 0, 20000000, 20000 },
        { "100KB/s@1s", 0, 100000, 1000000 },
        { "800b/s@2", 0, 200, 2000000 },
        { "1000B/s@250us", 0, 0, 250 },
        { "1000B/s@250u", 0, 0, 250 },
        { "", EINVAL, 0, 0 },
        { "@1s", EINVAL, 0, 0 },
        { "0B/s", EOVERFLOW, 0, 0 },
        { "5000000000B/s", EOVERFLOW, 0, 0 },
        { "10MB", EINVAL, 0, 0 },
        { "10XB/s", EINVAL, 0, 0 },
        { "10MB/s@", EINVAL, 0, 0 },
        { "10MB/s@5h", EINVAL, 0, 0 },
        { "10MB/s@5000s", EOVERFLOW, 0, 0 },
        { "10MB/sx", EINVAL, 0, 0 },
    };
    size_t i;
    R r;

    r_open(&r);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        libxl_device_nic nic;

        memset(&nic, 0, sizeof(nic));
        assert_int_equal(xlu_vif_parse_rate(r.cfg, cases[i].rate, &nic),
                         cases[i].rc);
        if (!cases[i].rc) {
            assert_int_equal(nic.rate_bytes_per_interval, cases[i].bytes);
            assert_int_equal(nic.rate_interval_usecs, cases[i].usecs);
        }
    }
    assert_non_null(strstr(r_close(&r),
                           "guest.cfg: invalid vif rate `10MB/s@5h': bad "
                           "interval unit (expected s, ms or us)\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_specs),
        cmocka_unit_test(test_multiple_specs),
        cmocka_unit_test(test_bad_specs),
        cmocka_unit_test(test_linear_time),
        cmocka_unit_test(test_odd_bytes),
        cmocka_unit_test(test_pci),
        cmocka_unit_test(test_rdm),
        cmocka_unit_test(test_vif_rate),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
