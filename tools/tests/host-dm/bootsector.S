/*
 * A boot sector for check.sh's dmA guest: SeaBIOS loads it from the
 * emulated IDE disk (through our QEMU) at 0x7c00.  It prints one line on
 * Xen's debug port 0xE9 (Xen's console: "(dN) DMTEST ...") and halts
 * with interrupts off, which Xen takes for a power-off of an HVM guest
 * whose last vCPU went down.
 */
    .code16
    .section .text
    .globl _start
_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    cld
    mov $msg, %si
1:  lodsb
    test %al, %al
    jz 2f
    outb %al, $0xe9
    jmp 1b
2:  hlt
    jmp 2b
msg:
    .asciz "DMTEST boot sector ran from the IDE disk\n"
    .org 510
    .byte 0x55, 0xaa
