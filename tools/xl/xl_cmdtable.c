/*
 * xl: the table of subcommands, with upstream xl's names, in the order
 * of upstream's help. Entries without an implementation (NULL) are kept
 * so that a script that runs one is told it is not implemented yet
 * (exit 1) rather than that it is unknown; xl help does not offer them.
 */
#include <string.h>

#include "xl.h"
#include "xl_utils.h"

/* What a command accepts or needs (xl.h's struct cmd_spec):
 * XL_CMD_DRYRUN the global -N, XL_CMD_MODIFIES the global -f,
 * XL_CMD_CTX a libxl context (the hypervisor) before it runs. */
#define XL_CMD_DRYRUN (1u << 0)
#define XL_CMD_MODIFIES (1u << 1)
#define XL_CMD_CTX (1u << 2)

#define CMD(name, impl, flags, desc, usage, opts)                      \
    {                                                                  \
        .cmd_name = (name),                                            \
        .cmd_impl = (impl),                                            \
        .can_dryrun = ((flags) & XL_CMD_DRYRUN) != 0,                  \
        .modifies = ((flags) & XL_CMD_MODIFIES) != 0,                  \
        .needs_ctx = ((flags) & XL_CMD_CTX) != 0,                      \
        .cmd_desc = (desc),                                            \
        .cmd_usage = (usage),                                          \
        .cmd_option = (opts),                                          \
    }

const struct cmd_spec cmd_table[] = {
    CMD("create", main_create, XL_CMD_DRYRUN | XL_CMD_MODIFIES,
        "Create a domain from the configuration file <ConfigFile>",
        "<ConfigFile> [options] [KEY=VALUE ...]",
        "-c                      attach to the guest console once it is "
        "created\n"
        "-d                      print the parsed configuration on stderr\n"
        "-e                      do not monitor the domain (no restart "
        "or soft reset\n"
        "                        handling after creation)\n"
        "-F                      stay in the foreground, monitoring the "
        "domain\n"
        "-f FILE, --defconfig=FILE\n"
        "                        read the configuration from FILE\n"
        "-h, --help              print this help\n"
        "-n, --dryrun            only print the configuration as JSON "
        "(same as xl -N)\n"
        "-p                      leave the domain paused once created\n"
        "-q, --quiet             do not say which file is parsed\n"
        "-V, --vncviewer         start a VNC viewer on the guest display\n"
        "-A, --vncviewer-autopass\n"
        "                        same, giving the viewer the password on "
        "stdin\n"
        "--ignore-global-affinity-masks\n"
        "                        ignore the vCPU masks of xl.conf\n"
        "KEY=VALUE               a configuration line applied after the "
        "file\n"
        "                        (later lines win)"),
    CMD("config-update", NULL, XL_CMD_MODIFIES | XL_CMD_CTX,
        "Replace the saved configuration of a running domain",
        "<Domain> <ConfigFile> [options] [KEY=VALUE ...]", NULL),
    CMD("list", main_list, XL_CMD_CTX,
        "List the domains, or the named ones",
        "[options] [Domain ...]",
        "-l, --long              every detail, as JSON\n"
        "-v, --verbose           also UUIDs and security labels"),
    CMD("destroy", main_destroy, XL_CMD_CTX,
        "Kill a domain at once, without asking the guest",
        "[options] <Domain>",
        "-f                      also domain 0 (only with a disaggregated "
        "toolstack)"),
    CMD("shutdown", main_shutdown, XL_CMD_CTX,
        "Ask a domain to shut down",
        "[options] <-a|Domain>",
        "-a, --all               every guest domain\n"
        "-w, --wait              wait until the domains have shut down; twice\n"
        "                        (-ww): until they are gone\n"
        "-F                      fall back to an ACPI power button for HVM "
        "guests\n"
        "                        without PV drivers"),
    CMD("reboot", main_reboot, XL_CMD_CTX,
        "Ask a domain to reboot",
        "[options] <-a|Domain>",
        "-a, --all               every guest domain\n"
        "-w, --wait              wait until the domains have shut down for the\n"
        "                        reboot; twice (-ww): until they are gone\n"
        "-F                      fall back to an ACPI reset for HVM guests "
        "without\n"
        "                        PV drivers"),
    CMD("pause", main_pause, XL_CMD_CTX,
        "Stop a domain's vCPUs from running", "<Domain>", NULL),
    CMD("unpause", main_unpause, XL_CMD_CTX,
        "Let a paused domain run again", "<Domain>", NULL),
    CMD("console", main_console, XL_CMD_CTX,
        "Attach to a domain's console",
        "[options] <Domain>",
        "-t <type>               console type: pv, serial or vuart\n"
        "-n <number>             console number\n"
        "-e <key>                escape key instead of Ctrl-] (one "
        "character, or ^X)"),
    CMD("save", NULL, XL_CMD_CTX,
        "Save a domain's state to a file and destroy it",
        "[options] <Domain> <CheckpointFile> [<ConfigFile>]",
        "-c                      leave the domain running after saving\n"
        "-p                      leave the domain paused after saving"),
    CMD("restore", NULL, XL_CMD_CTX,
        "Restore a domain from a saved state file",
        "[options] [<ConfigFile>] <CheckpointFile>",
        "-p                      leave the domain paused\n"
        "-e                      do not monitor the domain\n"
        "-d                      print the configuration on stderr\n"
        "-V, --vncviewer         start a VNC viewer"),
    CMD("mem-set", NULL, XL_CMD_CTX,
        "Set a domain's memory target", "<Domain> <MemMB['b'|'k'|'m'|'g']>",
        NULL),
    CMD("mem-max", NULL, XL_CMD_CTX,
        "Set a domain's maximum memory", "<Domain> <MemMB['b'|'k'|'m'|'g']>",
        NULL),
    CMD("vcpu-list", NULL, XL_CMD_CTX,
        "List the vCPUs of domains", "[Domain ...]", NULL),
    CMD("vcpu-set", NULL, XL_CMD_CTX,
        "Set the number of active vCPUs of a domain",
        "<Domain> <vCPUs>", NULL),
    CMD("info", main_info, XL_CMD_CTX,
        "Show information about the host", "[-n|--numa]", NULL),
    CMD("domid", main_domid, XL_CMD_CTX,
        "Print the id of the domain with this name", "<DomainName>", NULL),
    CMD("domname", main_domname, XL_CMD_CTX,
        "Print the name of the domain with this id", "<DomainId>", NULL),
    CMD("rename", main_rename, XL_CMD_CTX,
        "Give a domain a new name", "<Domain> <NewDomainName>", NULL),
    CMD("trigger", NULL, XL_CMD_CTX,
        "Send an event (power, sleep, nmi, init, reset, s3resume) to a "
        "domain",
        "<Domain> <nmi|reset|init|power|sleep|s3resume> [<VCPU>]", NULL),
    CMD("sysrq", NULL, XL_CMD_CTX,
        "Send a magic SysRq key to a domain", "<Domain> <letter>", NULL),
    CMD("dmesg", NULL, XL_CMD_CTX,
        "Read the hypervisor's message buffer", "[-c]",
        "-c                      clear the buffer after reading it"),
    CMD("network-attach", NULL, XL_CMD_CTX,
        "Add a network interface to a domain",
        "<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] ...", NULL),
    CMD("network-list", NULL, XL_CMD_CTX,
        "List a domain's network interfaces", "<Domain ...>", NULL),
    CMD("network-detach", NULL, XL_CMD_CTX,
        "Remove a network interface from a domain",
        "<Domain> <DevId|mac>", NULL),
    CMD("block-attach", NULL, XL_CMD_CTX,
        "Add a disk to a domain", "<Domain> <disk-spec-component(s)>...",
        NULL),
    CMD("block-list", NULL, XL_CMD_CTX,
        "List a domain's disks", "<Domain ...>", NULL),
    CMD("block-detach", NULL, XL_CMD_CTX,
        "Remove a disk from a domain", "<Domain> <DevId>", NULL),
    CMD("uptime", main_uptime, XL_CMD_CTX,
        "Print how long domains have been running", "[-s] [Domain ...]",
        NULL),
#ifdef LIBXL_HAVE_SOFT_RESET_INFO
    /* ours: upstream's xl keeps no record of soft resets */
    CMD("soft-reset-list", main_soft_reset_list, XL_CMD_CTX,
        "List the soft resets done to domains (count, last one, steps)",
        "[options] [Domain ...]",
        "-l, --long              as JSON\n"
        "-v, --verbose           also the time of each step of the last "
        "one"),
#endif
    CMD("qemu-monitor-command", NULL, XL_CMD_CTX,
        "Send a command to a domain's device model monitor",
        "<Domain> <Command>", NULL),
};

const int cmdtable_len = ARRAY_SIZE(cmd_table);

/*
 * Finds a command by its name or by an unambiguous prefix of it (as
 * upstream: "cr" is "create"); an exact name always wins.
 */
const struct cmd_spec *cmdtable_lookup(const char *name)
{
    const struct cmd_spec *found = NULL;
    size_t len;
    int i, matches = 0;

    if (!name || !*name)
        return NULL;
    len = strlen(name);
    for (i = 0; i < cmdtable_len; i++) {
        if (strncmp(name, cmd_table[i].cmd_name, len))
            continue;
        if (!cmd_table[i].cmd_name[len])
            return &cmd_table[i];
        found = &cmd_table[i];
        matches++;
    }
    return matches == 1 ? found : NULL;
}
