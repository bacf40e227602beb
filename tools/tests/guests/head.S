/*
 * pvh-probe: PVH entry, ELF notes, switch to long mode, exception stubs,
 * the hypercall trampolines and vCPU 1's entry (ap=1).
 *
 * Xen (and QEMU's PVH loader) start us at the PHYS32_ENTRY address in
 * 32-bit protected mode, paging off, interrupts off, %ebx = physical
 * address of struct hvm_start_info (docs/misc/pvh.pandoc upstream).  We
 * bring our own GDT, identity-map the low 4 GiB with 2 MiB pages (the
 * xenstore and console rings live just below 4 GiB), enable long mode
 * and call probe_main().  Nothing here clears .bss: the ELF loader did
 * that once, and later entries must keep the persistent state.
 */
#include <xen/elfnote.h>

#define CR0_PE      (1 << 0)
#define CR0_PG      (1 << 31)
#define CR4_PAE     (1 << 5)
#define MSR_EFER    0xc0000080
#define EFER_LME    (1 << 8)

#define SEL_CODE32  0x08
#define SEL_DATA    0x10
#define SEL_CODE64  0x18

#define PTE_P_RW    0x003
#define PTE_P_RW_PS 0x083

/* One Xen ELF note: name "Xen", type, descriptor emitted by the caller. */
.macro xen_note type
    .balign 4
    .long 4f - 3f           /* namesz */
    .long 6f - 5f           /* descsz */
    .long \type
3:  .asciz "Xen"
4:  .balign 4
5:
.endm
.macro xen_note_end
6:  .balign 4
.endm

    .section .note.Xen, "a", @note
    xen_note XEN_ELFNOTE_GUEST_OS
    .asciz "pvh-probe"
    xen_note_end
    xen_note XEN_ELFNOTE_GUEST_VERSION
    .asciz "1"
    xen_note_end
    xen_note XEN_ELFNOTE_XEN_VERSION
    .asciz "xen-3.0"
    xen_note_end
    xen_note XEN_ELFNOTE_LOADER
    .asciz "generic"
    xen_note_end
    xen_note XEN_ELFNOTE_PHYS32_ENTRY
    .long pvh_entry
    xen_note_end

    .section .text.entry, "ax", @progbits
    .code32
    .globl pvh_entry
pvh_entry:
    cli
    cld
    lgdt    gdt_desc
    ljmp    $SEL_CODE32, $1f
1:  movl    $SEL_DATA, %eax
    movl    %eax, %ds
    movl    %eax, %es
    movl    %eax, %ss
    movl    %eax, %fs
    movl    %eax, %gs
    movl    $stack_top, %esp
    movl    %ebx, entry_ebx

    /* PML4[0] -> PDPT; PDPT[0..3] -> four page directories. */
    movl    $pt_pdpt + PTE_P_RW, pt_pml4
    movl    $0, pt_pml4 + 4
    xorl    %ecx, %ecx
2:  movl    %ecx, %eax
    shll    $12, %eax
    addl    $pt_pd + PTE_P_RW, %eax
    movl    %eax, pt_pdpt(, %ecx, 8)
    movl    $0, pt_pdpt + 4(, %ecx, 8)
    incl    %ecx
    cmpl    $4, %ecx
    jb      2b
    /* 2048 entries of 2 MiB: identity map of 0 .. 4 GiB. */
    xorl    %ecx, %ecx
3:  movl    %ecx, %eax
    shll    $21, %eax
    orl     $PTE_P_RW_PS, %eax
    movl    %eax, pt_pd(, %ecx, 8)
    movl    $0, pt_pd + 4(, %ecx, 8)
    incl    %ecx
    cmpl    $2048, %ecx
    jb      3b

    movl    %cr4, %eax
    orl     $CR4_PAE, %eax
    movl    %eax, %cr4
    movl    $pt_pml4, %eax
    movl    %eax, %cr3
    movl    $MSR_EFER, %ecx
    rdmsr
    orl     $EFER_LME, %eax
    wrmsr
    movl    %cr0, %eax
    orl     $(CR0_PG | CR0_PE), %eax
    movl    %eax, %cr0
    ljmp    $SEL_CODE64, $long_mode

    .code64
long_mode:
    movl    $SEL_DATA, %eax
    movl    %eax, %ds
    movl    %eax, %es
    movl    %eax, %ss
    movq    $stack_top, %rsp
    call    idt_install
    movl    entry_ebx(%rip), %edi
    xorl    %esi, %esi              /* entered via the PVH entry point */
    call    probe_main
4:  cli
    hlt
    jmp     4b

/*
 * long xen_hypercall(nr, a1, a2, a3, a4, a5): move the SysV arguments to
 * Xen's 64-bit HVM hypercall registers (rdi rsi rdx r10 r8) and call the
 * stub Xen wrote at hypercall_page + nr * 32.  Everything Xen may clobber
 * is caller-saved in the SysV ABI.  xen_ap_hypercall: the same through
 * ap_hypercall_page, vCPU 1's (ap=1), which vCPU 0 does not refill.
 */
    .text
    .globl xen_hypercall
xen_hypercall:
    leaq    hypercall_page(%rip), %r11
    jmp     .Lhypercall
    .globl xen_ap_hypercall
xen_ap_hypercall:
    leaq    ap_hypercall_page(%rip), %r11
.Lhypercall:
    movq    %rdi, %rax
    shlq    $5, %rax
    addq    %rax, %r11
    movq    %rsi, %rdi
    movq    %rdx, %rsi
    movq    %rcx, %rdx
    movq    %r8, %r10
    movq    %r9, %r8
    call    *%r11
    ret

/*
 * vCPU 1's start (ap=1).  VCPUOP_initialise (probe.c, ap_start) put it in
 * long mode on our page tables and its own stack, with flat segments of
 * null selectors and descriptor tables that are not ours.  Take vCPU 0's
 * GDT and IDT (an exception then reaches the stubs below instead of
 * triple-faulting) and our selectors, then run ap_main() for good.
 */
    .globl ap_entry
ap_entry:
    cld
    lgdt    gdt_desc(%rip)
    lidt    idt_desc(%rip)
    movl    $SEL_DATA, %eax
    movl    %eax, %ds
    movl    %eax, %es
    movl    %eax, %ss
    movl    %eax, %fs
    movl    %eax, %gs
    pushq   $SEL_CODE64
    leaq    8f(%rip), %rax
    pushq   %rax
    lretq
8:  call    ap_main
9:  cli
    hlt
    jmp     9b

/*
 * Exception stubs for vectors 0-31: push a dummy error code where the CPU
 * pushes none, push the vector, report from C.  The handler never returns.
 */
.macro exc_stub vec, has_err
exc_\vec:
    .if !\has_err
    pushq   $0
    .endif
    pushq   $\vec
    jmp     exc_common
.endm
    exc_stub 0, 0
    exc_stub 1, 0
    exc_stub 2, 0
    exc_stub 3, 0
    exc_stub 4, 0
    exc_stub 5, 0
    exc_stub 6, 0
    exc_stub 7, 0
    exc_stub 8, 1
    exc_stub 9, 0
    exc_stub 10, 1
    exc_stub 11, 1
    exc_stub 12, 1
    exc_stub 13, 1
    exc_stub 14, 1
    exc_stub 15, 0
    exc_stub 16, 0
    exc_stub 17, 1
    exc_stub 18, 0
    exc_stub 19, 0
    exc_stub 20, 0
    exc_stub 21, 1
    exc_stub 22, 0
    exc_stub 23, 0
    exc_stub 24, 0
    exc_stub 25, 0
    exc_stub 26, 0
    exc_stub 27, 0
    exc_stub 28, 0
    exc_stub 29, 1
    exc_stub 30, 1
    exc_stub 31, 0

exc_common:
    movq    %rsp, %rdi              /* -> struct exc_frame */
    andq    $-16, %rsp
    call    probe_exception
5:  cli
    hlt
    jmp     5b

/* Fill the IDT with 64-bit interrupt gates to the stubs above. */
idt_install:
    leaq    exc_table(%rip), %rsi
    leaq    idt(%rip), %rdi
    xorl    %ecx, %ecx
6:  movq    (%rsi, %rcx, 8), %rax
    movw    %ax, (%rdi)             /* offset 15:0 */
    movw    $SEL_CODE64, 2(%rdi)
    movw    $0x8e00, 4(%rdi)        /* present, DPL 0, interrupt gate */
    shrq    $16, %rax
    movw    %ax, 6(%rdi)            /* offset 31:16 */
    shrq    $16, %rax
    movl    %eax, 8(%rdi)           /* offset 63:32 */
    movl    $0, 12(%rdi)
    addq    $16, %rdi
    incl    %ecx
    cmpl    $32, %ecx
    jb      6b
    lidt    idt_desc(%rip)
    ret

/* Deliberate triple fault: no IDT at all, then an invalid opcode. */
    .globl triple_fault
triple_fault:
    lidt    null_idt_desc(%rip)
    ud2
7:  jmp     7b

    .section .rodata
    .balign 8
exc_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    .quad exc_\v
    .endr
    .irp v, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad exc_\v
    .endr

    .data
    .balign 16
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff        /* 0x08: 32-bit code, flat */
    .quad 0x00cf93000000ffff        /* 0x10: data, flat */
    .quad 0x00af9b000000ffff        /* 0x18: 64-bit code */
gdt_end:
    .balign 8
    .word 0
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt                       /* lgdt in 32-bit mode reads 4 bytes */
    .balign 8
    .word 0
idt_desc:
    .word 32 * 16 - 1
    .quad idt
    .balign 8
    .word 0
null_idt_desc:
    .word 0
    .quad 0

    .bss
    .balign 4096
    .globl pt_pml4
pt_pml4:    .skip 4096
pt_pdpt:    .skip 4096
pt_pd:      .skip 4 * 4096
    .globl hypercall_page
hypercall_page: .skip 4096
    .globl ap_hypercall_page
ap_hypercall_page: .skip 4096
stack:      .skip 16384
stack_top:
ap_stack:   .skip 16384             /* vCPU 1's (ap=1) */
    .globl ap_stack_top
ap_stack_top:
    .balign 16
idt:        .skip 32 * 16
entry_ebx:  .long 0
