/*
 * uartscr get | set VALUE: reads or writes the scratch register (SCR,
 * offset 7) of the first 16550 UART (COM1, I/O port 0x3f8).  The register
 * holds whatever was last written and nothing else uses it, so a value
 * written before a kexec that reads back after it shows that the device
 * model's state crossed the soft reset: a fresh QEMU would give 0.
 * "get" prints the value in decimal.  Exit status 1 without access to
 * the port (no CAP_SYS_RAWIO, or no emulated UART: PVH).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>

#define COM1_SCR (0x3f8 + 7)

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "get") && strcmp(argv[1], "set")) ||
        (!strcmp(argv[1], "set") && argc != 3)) {
        fprintf(stderr, "usage: uartscr get | set VALUE\n");
        return 2;
    }
    if (ioperm(COM1_SCR, 1, 1) < 0) {
        perror("uartscr: ioperm");
        return 1;
    }
    if (!strcmp(argv[1], "get")) {
        printf("%u\n", (unsigned int)inb(COM1_SCR));
        return 0;
    }
    outb((unsigned char)strtoul(argv[2], NULL, 0), COM1_SCR);
    return 0;
}
