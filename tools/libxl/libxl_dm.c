/*
 * libxl_dm.c: QEMU's life: start (from scratch or from a saved device
 * state), the wait for it to run, what only the running QEMU can tell
 * (serial ptys, the VNC address) and the taps of emulated NICs, resume,
 * stop.  Its command line is libxl_dm_args.c; its QMP client
 * libxl_qmp.c.
 */
#include "libxl_internal.h"
#include "libxl_xshelp.h"
#include "libxl_exec.h"
#include "libxl_domain.h"
#include "libxl_device.h"
#include "libxl_dm.h"

#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *libxl__dm_qmp_path(libxl__gc *gc, uint32_t domid)
{
    return GCSPRINTF("%s/qmp-libxl-%u", TUN->run_dir, domid);
}

const char *libxl__dm_xenstat_qmp_path(libxl__gc *gc, uint32_t domid)
{
    return GCSPRINTF("%s/qmp-libxenstat-%u", TUN->run_dir, domid);
}

const char *libxl__dm_save_path(libxl__gc *gc, uint32_t domid)
{
    return GCSPRINTF("%s/qemu-save.%u", TUN->dm_save_dir, domid);
}

const char *libxl__dm_xs_path(libxl__gc *gc, uint32_t domid)
{
    return GCSPRINTF("/local/domain/0/device-model/%u", domid);
}

/*
 * Start.
 */

/* Opens NAME.log in the log directory for QEMU's output, keeping the
 * previous ones as NAME.log.1 ... NAME.log.9 as upstream does. */
static int open_logfile(libxl__gc *gc, uint32_t domid, const char *name)
{
    const char *base = GCSPRINTF("%s/%s.log", TUN->dm_log_dir, name);
    int i, fd;

    for (i = 9; i > 0; i--) {
        const char *from = i > 1 ? GCSPRINTF("%s.%d", base, i - 1) : base;
        if (rename(from, GCSPRINTF("%s.%d", base, i)) < 0 &&
            errno != ENOENT)
            LOGED(WARN, domid, "cannot rotate %s", from);
    }
    fd = open(base, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        LOGED(ERROR, domid, "cannot open the device model log %s", base);
        return ERROR_FAIL;
    }
    return fd;
}

/* Whether pid is the device model of domid (its command line has
 * "-xen-domid <domid>"), so a recycled pid is never killed.  -1: no
 * such process. */
static int pid_is_dm_of(libxl__gc *gc, pid_t pid, uint32_t domid)
{
    const char *want = GCSPRINTF("%u", domid);
    char buf[8192];
    ssize_t n;
    int fd = open(GCSPRINTF("/proc/%d/cmdline", (int)pid),
                  O_RDONLY | O_CLOEXEC);
    char *p, *end;

    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return n == 0 ? 0 : -1;      /* empty: a zombie, or exiting */
    buf[n] = 0;
    end = buf + n;
    for (p = buf; p < end; p += strlen(p) + 1)
        if (!strcmp(p, "-xen-domid") && p + strlen(p) + 1 < end &&
            !strcmp(p + strlen(p) + 1, want))
            return 1;
    return 0;
}

/* Whether pid still runs (a zombie does not). */
static bool pid_alive(libxl__gc *gc, pid_t pid)
{
    char buf[512], *p;
    ssize_t n;
    int fd = open(GCSPRINTF("/proc/%d/stat", (int)pid), O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return kill(pid, 0) == 0 || errno == EPERM;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = 0;
    p = strrchr(buf, ')');          /* the name may hold anything */
    return !(p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

static void dm_state_changed(libxl__gc *gc, libxl__ev_xswatch *w,
                             const char *watch_path, const char *event_path)
{
    *(bool *)w->arg = true;
}

/* Waits until QEMU writes "running" to <dm path>/state, it dies, or
 * timeout_ms passes. */
static int wait_running(libxl__gc *gc, uint32_t domid, pid_t pid,
                        int timeout_ms)
{
    const char *path = GCSPRINTF("%s/state", libxl__dm_xs_path(gc, domid));
    struct timespec t0, t;
    libxl__ev_xswatch w;
    bool changed = true;
    int rc;

    libxl__ev_xswatch_init(&w);
    w.arg = &changed;
    rc = libxl__ev_xswatch_register(gc, &w, dm_state_changed, path);
    if (rc)
        return rc;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        long elapsed;

        if (changed) {
            const char *v = libxl__xs_read(gc, XBT_NULL, path);
            changed = false;
            if (v && !strcmp(v, "running")) {
                rc = 0;
                break;
            }
        }
        if (!pid_alive(gc, pid)) {
            LOGD(ERROR, domid, "the device model (pid %d) exited during "
                 "startup: see %s/qemu-dm-<name>.log", (int)pid,
                 TUN->dm_log_dir);
            rc = ERROR_FAIL;
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        elapsed = (t.tv_sec - t0.tv_sec) * 1000 +
                  (t.tv_nsec - t0.tv_nsec) / 1000000;
        if (elapsed >= timeout_ms) {
            LOGD(ERROR, domid, "the device model did not report running "
                 "at %s within %d ms", path, timeout_ms);
            rc = ERROR_TIMEDOUT;
            break;
        }
        /* Short slices: a QEMU that dies writes nothing. */
        rc = libxl__ev_run(gc, timeout_ms - elapsed < 200
                               ? (int)(timeout_ms - elapsed) : 200);
        if (rc)
            break;
    }
    libxl__ev_xswatch_deregister(gc, &w);
    return rc;
}

/*
 * After start: the emulated NICs' taps (vifD.N-emu, which QEMU has just
 * made) onto their bridges.  Upstream runs the NIC's hotplug script a
 * second time for that, with "add type_if=tap" and INTERFACE naming the
 * tap; the vif's own run ("online type_if=vif") is the device's.
 */
static int dm_tap_hotplug(libxl__gc *gc, uint32_t domid,
                          const libxl_domain_config *d_config)
{
    int i, rc;

    for (i = 0; i < d_config->num_nics; i++) {
        const libxl_device_nic *nic = &d_config->nics[i];
        const char *be = GCSPRINTF("/local/domain/%u/backend/vif/%u/%d",
                                   nic->backend_domid, domid, nic->devid);
        const char *script, *gw, *what, **argv, **env;
        libxl__exec_spec spec;
        int n = 0;

        if (nic->nictype == LIBXL_NIC_TYPE_VIF)
            continue;           /* PV only: no tap */
        script = libxl__device_script_path(gc, nic->script && nic->script[0]
                                               ? nic->script : "vif-bridge");
        gw = libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/gatewaydev", be));
        GCNEW_ARRAY(argv, 4);
        argv[0] = script;
        argv[1] = "add";
        argv[2] = "type_if=tap";
        GCNEW_ARRAY(env, 17);
        env[n++] = "script";
        env[n++] = script;
        env[n++] = "XENBUS_TYPE";
        env[n++] = "vif";
        env[n++] = "XENBUS_PATH";
        env[n++] = GCSPRINTF("backend/vif/%u/%d", domid, nic->devid);
        env[n++] = "XENBUS_BASE_PATH";
        env[n++] = "backend";
        env[n++] = "netdev";
        env[n++] = gw ? gw : "";
        env[n++] = "INTERFACE";
        env[n++] = libxl__device_nic_devname(gc, domid, nic->devid,
                                             nic->ifname,
                                             LIBXL_NIC_TYPE_VIF_IOEMU);
        env[n++] = "vif";
        env[n++] = libxl__device_nic_devname(gc, domid, nic->devid,
                                             nic->ifname,
                                             LIBXL_NIC_TYPE_VIF);
        env[n] = NULL;
        what = GCSPRINTF("hotplug script %s add type_if=tap for %s", script,
                         env[11]);
        LOGD(DEBUG, domid, "running %s", what);
        libxl__exec_spec_init(&spec, argv);
        spec.env = env;
        rc = libxl__exec_run(gc, what, &spec,
                             TUN->device_hotplug_timeout_ms, NULL);
        if (rc)
            return rc;
    }
    return 0;
}

/* Whether an HVM guest has a serial port on a pty, whose name only
 * QEMU knows once it runs. */
static bool dm_has_pty_serial(const libxl_domain_build_info *b_info)
{
    int i;

    if (b_info->type != LIBXL_DOMAIN_TYPE_HVM)
        return false;
    if (b_info->u.hvm.serial && !strncmp(b_info->u.hvm.serial, "pty", 3))
        return true;
    for (i = 0; i < libxl_string_list_length(&b_info->u.hvm.serial_list); i++)
        if (!strncmp(b_info->u.hvm.serial_list[i], "pty", 3))
            return true;
    return false;
}

/* After start: the serial ptys and the VNC address into xenstore, as
 * upstream (xl console -t serial reads <dompath>/serial/N/tty).  With
 * neither there is nothing to ask QEMU: no QMP connection, which is a
 * few hundred ms of every soft reset on the test host. */
static int dm_postconfig(libxl__gc *gc, uint32_t domid,
                         const libxl_domain_config *d_config,
                         const char *dompath)
{
    /* PV and PVH: VNC only for a framebuffer, from the first vfb. */
    const libxl_vnc_info *vnc =
        d_config->b_info.type == LIBXL_DOMAIN_TYPE_HVM
        ? &d_config->b_info.u.hvm.vnc
        : d_config->num_vfbs ? &d_config->vfbs[0].vnc : NULL;
    libxl__qmp *qmp;
    char **ttys = NULL;
    int i, n, rc;

    if (!dm_has_pty_serial(&d_config->b_info) &&
        !(vnc && libxl__defbool_or(vnc->enable, true)))
        return 0;
    rc = libxl__qmp_connect(gc, domid, &qmp);
    if (rc)
        return rc;
    n = 0;
    if (dm_has_pty_serial(&d_config->b_info))
        rc = libxl__qmp_query_serial_ttys(gc, qmp, &ttys, &n);
    if (rc)
        goto out;
    for (i = 0; i < n; i++) {
        if (!ttys[i])
            continue;
        rc = libxl__xs_printf(gc, XBT_NULL,
                              GCSPRINTF("%s/serial/%d/tty", dompath, i),
                              "%s", ttys[i]);
        if (rc)
            goto out;
    }
    if (vnc && libxl__defbool_or(vnc->enable, true)) {
        const libxl__json_object *ret, *server;
        const char *host, *port;

        if (vnc->passwd && vnc->passwd[0]) {
            libxl__json_object *args =
                libxl__json_object_alloc(gc, JSON_MAP);
            libxl__json_object *pw = libxl__json_object_alloc(gc, JSON_STRING);
            pw->u.string = vnc->passwd;
            libxl__json_map_add(gc, args, "password", pw);
            rc = libxl__qmp_command(qmp, "change-vnc-password", args,
                                    TUN->qmp_timeout_ms, NULL);
            if (rc)
                goto out;
        }
        rc = libxl__qmp_command(qmp, "query-vnc", NULL,
                                TUN->qmp_timeout_ms, &ret);
        if (rc)
            goto out;
        server = ret;
        host = libxl__json_object_get_string(
            libxl__json_map_get("host", server, JSON_STRING));
        port = libxl__json_object_get_string(
            libxl__json_map_get("service", server, JSON_STRING));
        if (host && port) {
            rc = libxl__xs_printf(gc, XBT_NULL,
                                  GCSPRINTF("%s/console/vnc-listen",
                                            dompath), "%s", host);
            if (!rc)
                rc = libxl__xs_printf(gc, XBT_NULL,
                                      GCSPRINTF("%s/console/vnc-port",
                                                dompath), "%s", port);
        }
    }
out:
    libxl__qmp_close(qmp);
    return rc;
}

int libxl__dm_spawn_restore(libxl__gc *gc, uint32_t domid,
                            libxl_domain_config *d_config,
                            const char *restore_file)
{
    const libxl_domain_build_info *b_info = &d_config->b_info;
    const char *dm, *dompath, *dmpath;
    char **argv, **env;
    libxl__exec_spec spec;
    int logfd = -1, statefd = -1, rc = 0, i;
    pid_t pid = -1;
    bool hvm;

    if (!libxl__dm_needed(d_config))
        return 0;
    hvm = b_info->type == LIBXL_DOMAIN_TYPE_HVM;
    dm = libxl__dm_binary(gc, b_info);
    if (access(dm, X_OK) < 0) {
        LOGED(ERROR, domid, "device model %s is not executable", dm);
        rc = ERROR_FAIL;
        goto out;
    }
    if (b_info->device_model_user && !getpwnam(b_info->device_model_user)) {
        LOGD(ERROR, domid, "cannot find device_model_user %s",
             b_info->device_model_user);
        rc = ERROR_INVAL;
        goto out;
    }
    rc = libxl__dm_build_args(gc, domid, d_config, dm, restore_file != NULL,
                              &argv, &env);
    if (rc)
        goto out;

    dompath = libxl__xs_get_dompath(gc, domid);
    if (!dompath) {
        rc = ERROR_FAIL;
        goto out;
    }
    dmpath = libxl__dm_xs_path(gc, domid);
    /* hvmloader reads these when the guest starts. */
    if (hvm)
        rc = libxl__xs_printf(gc, XBT_NULL,
                              GCSPRINTF("%s/hvmloader/bios", dompath), "%s",
                              b_info->u.hvm.bios == LIBXL_BIOS_TYPE_UNKNOWN
                              ? "seabios"     /* qemu-xen's default */
                              : libxl_bios_type_to_string(
                                    b_info->u.hvm.bios));
    if (hvm && !rc)
        rc = libxl__xs_printf(gc, XBT_NULL,
                              GCSPRINTF("%s/hvmloader/allow-memory-relocate",
                                        dompath), "0");
    /* A "running" left by an earlier emulator must not count.  A device
     * model that loads a saved state keeps the rest of its directory:
     * the emulator data restored there (physmap) is what it maps the
     * guest's video RAM from. */
    if (!rc)
        rc = libxl__xs_rm_checked(gc, XBT_NULL,
                                  restore_file ? GCSPRINTF("%s/state", dmpath)
                                               : dmpath);
    if (!rc)
        rc = libxl__xs_mknod(gc, XBT_NULL, dmpath, NULL, 0);
    if (rc)
        goto out;
    libxl__qmp_cleanup(gc, domid);

    logfd = open_logfile(gc, domid, GCSPRINTF("qemu-dm-%s",
                                              d_config->c_info.name));
    if (logfd < 0) {
        rc = logfd;
        goto out;
    }
    if (restore_file) {
        statefd = open(restore_file, O_RDONLY | O_CLOEXEC);
        if (statefd < 0) {
            LOGED(ERROR, domid, "cannot open the device model state %s",
                  restore_file);
            rc = ERROR_FAIL;
            goto out;
        }
    }

    LOGD(DEBUG, domid, "Spawning device-model %s with arguments:", dm);
    for (i = 0; argv[i]; i++)
        LOGD(DEBUG, domid, "  %s", argv[i]);
    for (i = 0; env && env[i]; i += 2)
        LOGD(DEBUG, domid, "  env %s=%s", env[i], env[i + 1]);

    libxl__exec_spec_init(&spec, (const char *const *)argv);
    spec.env = (const char *const *)env;
    spec.stdin_fd = statefd;
    spec.stdout_fd = logfd;
    spec.stderr_fd = logfd;
    spec.new_session = true;
    rc = libxl__exec_spawn_detached(gc, &spec, &pid);
    if (rc) {
        pid = -1;
        goto out;
    }
    close(logfd);
    logfd = -1;
    if (statefd >= 0)
        close(statefd);
    statefd = -1;

    rc = libxl__xs_printf(gc, XBT_NULL,
                          GCSPRINTF("%s/image/device-model-pid", dompath),
                          "%d", (int)pid);
    if (rc)
        goto out;
    rc = wait_running(gc, domid, pid, TUN->dm_start_timeout_ms);
    if (rc)
        goto out;
    rc = dm_postconfig(gc, domid, d_config, dompath);
    if (rc)
        goto out;
    if (hvm)
        rc = dm_tap_hotplug(gc, domid, d_config);
    if (rc)
        goto out;
    LOGD(DEBUG, domid, "device model running, pid %d", (int)pid);

out:
    if (logfd >= 0)
        close(logfd);
    if (statefd >= 0)
        close(statefd);
    if (restore_file && unlink(restore_file) < 0 && errno != ENOENT)
        LOGED(WARN, domid, "cannot remove the device model state %s",
              restore_file);
    if (rc) {
        LOGD(ERROR, domid, "cannot start the device model");
        if (pid > 0)
            libxl__exec_kill(gc, pid, "device model",
                             TUN->dm_stop_timeout_ms);
        libxl__dm_stop(gc, domid);
    }
    return rc;
}

int libxl__dm_spawn(libxl__gc *gc, uint32_t domid,
                    libxl_domain_config *d_config)
{
    return libxl__dm_spawn_restore(gc, domid, d_config, NULL);
}

/*
 * Stop.
 */
int libxl__dm_stop(libxl__gc *gc, uint32_t domid)
{
    const char *pidpath = GCSPRINTF("/local/domain/%u/image/device-model-pid",
                                    domid);
    const char *v = NULL;
    int rc = 0, r;

    if (libxl__xs_read_checked(gc, XBT_NULL, pidpath, &v))
        rc = ERROR_FAIL;
    if (v) {
        char *end;
        long pid;

        errno = 0;
        pid = strtol(v, &end, 10);
        if (errno || *end || pid <= 1 || pid > INT_MAX) {
            LOGD(ERROR, domid, "invalid device model pid '%s' at %s", v,
                 pidpath);
            rc = ERROR_FAIL;
        } else {
            r = pid_is_dm_of(gc, pid, domid);
            if (r > 0) {
                r = libxl__exec_kill(gc, pid, "device model",
                                     TUN->dm_stop_timeout_ms);
                if (r) {
                    LOGD(ERROR, domid, "cannot stop the device model "
                         "(pid %ld)", pid);
                    rc = r;
                }
            } else if (r == 0 && pid_alive(gc, pid)) {
                LOGD(WARN, domid, "pid %ld is not this domain's device "
                     "model any more: not killing it", pid);
            }
        }
    }
    if (!rc) {
        r = libxl__xs_rm_checked(gc, XBT_NULL, pidpath);
        if (!rc)
            rc = r;
    }
    r = libxl__xs_rm_checked(gc, XBT_NULL, libxl__dm_xs_path(gc, domid));
    if (!rc)
        rc = r;
    libxl__qmp_cleanup(gc, domid);
    return rc;
}

int libxl__dm_destroy(libxl__gc *gc, uint32_t domid)
{
    int rc = libxl__dm_stop(gc, domid);
    const char *save = libxl__dm_save_path(gc, domid);

    if (unlink(save) < 0 && errno != ENOENT) {
        LOGED(ERROR, domid, "cannot remove %s", save);
        if (!rc)
            rc = ERROR_FAIL;
    }
    return rc;
}

int libxl__dm_resume(libxl__gc *gc, uint32_t domid)
{
    const char *v = NULL;
    int rc;

    rc = libxl__xs_read_checked(gc, XBT_NULL,
                                GCSPRINTF("/local/domain/%u/image/"
                                          "device-model-pid", domid), &v);
    if (rc || !v)
        return rc;              /* no emulator: nothing to resume */
    /* "cont" whatever its state, as upstream does: QEMU takes it as a
     * no-op when it runs, and one QMP connection is a fifth of a second
     * of a soft reset on the test host. */
    return libxl__qmp_cont(gc, domid);
}
