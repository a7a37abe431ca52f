//go:build !purego

#include "textflag.h"

// The bytes that classifyBlock compares with, each sixteen times.
DATA blockConsts<>+0x00(SB)/8, $0x0a0a0a0a0a0a0a0a // '\n'
DATA blockConsts<>+0x08(SB)/8, $0x0a0a0a0a0a0a0a0a
DATA blockConsts<>+0x10(SB)/8, $0x0d0d0d0d0d0d0d0d // '\r'
DATA blockConsts<>+0x18(SB)/8, $0x0d0d0d0d0d0d0d0d
DATA blockConsts<>+0x20(SB)/8, $0x3d3d3d3d3d3d3d3d // '='
DATA blockConsts<>+0x28(SB)/8, $0x3d3d3d3d3d3d3d3d
DATA blockConsts<>+0x30(SB)/8, $0x2020202020202020 // the lower-case bit
DATA blockConsts<>+0x38(SB)/8, $0x2020202020202020
DATA blockConsts<>+0x40(SB)/8, $0x6161616161616161 // 'a'
DATA blockConsts<>+0x48(SB)/8, $0x6161616161616161
DATA blockConsts<>+0x50(SB)/8, $0x1919191919191919 // 25: 'z'-'a'
DATA blockConsts<>+0x58(SB)/8, $0x1919191919191919
DATA blockConsts<>+0x60(SB)/8, $0x3030303030303030 // '0'
DATA blockConsts<>+0x68(SB)/8, $0x3030303030303030
DATA blockConsts<>+0x70(SB)/8, $0x0909090909090909 // 9: '9'-'0'
DATA blockConsts<>+0x78(SB)/8, $0x0909090909090909
DATA blockConsts<>+0x80(SB)/8, $0x5f5f5f5f5f5f5f5f // '_'
DATA blockConsts<>+0x88(SB)/8, $0x5f5f5f5f5f5f5f5f
DATA blockConsts<>+0x90(SB)/8, $0x7878787878787878 // 'x'
DATA blockConsts<>+0x98(SB)/8, $0x7878787878787878
GLOBL blockConsts<>(SB), RODATA|NOPTR, $0xa0

// CLASSIFY16 classifies the 16 bytes at off(SI) and ORs a bitmap of each
// kind, shifted to the place of the 16 bytes in the block, into BX ('\n'),
// CX ('\r'), DX ('='), R8 (letters), R9 (letters, digits and '_') and R10
// ('x'). A byte b is a letter when (b | 0x20) - 'a' <= 25 and a digit when
// b - '0' <= 9, both unsigned: min(v, 25) == v.
#define CLASSIFY16(off) \
	MOVOU    off(SI), X0 \
	MOVO     X0, X1      \
	PCMPEQB  X5, X1      \
	PMOVMSKB X1, AX      \
	SHLQ     $off, AX    \
	ORQ      AX, BX      \
	MOVO     X0, X1      \
	PCMPEQB  X6, X1      \
	PMOVMSKB X1, AX      \
	SHLQ     $off, AX    \
	ORQ      AX, CX      \
	MOVO     X0, X1      \
	PCMPEQB  X7, X1      \
	PMOVMSKB X1, AX      \
	SHLQ     $off, AX    \
	ORQ      AX, DX      \
	MOVO     X0, X1      \
	PCMPEQB  X14, X1     \
	PMOVMSKB X1, AX      \
	SHLQ     $off, AX    \
	ORQ      AX, R10     \
	MOVO     X0, X1      \
	POR      X8, X1      \
	PSUBB    X9, X1      \
	MOVO     X1, X2      \
	PMINUB   X10, X2     \
	PCMPEQB  X1, X2      \
	PMOVMSKB X2, AX      \
	SHLQ     $off, AX    \
	ORQ      AX, R8      \
	MOVO     X0, X3      \
	PSUBB    X11, X3     \
	MOVO     X3, X4      \
	PMINUB   X12, X4     \
	PCMPEQB  X3, X4      \
	PCMPEQB  X13, X0     \
	POR      X4, X0      \
	POR      X2, X0      \
	PMOVMSKB X0, AX      \
	SHLQ     $off, AX    \
	ORQ      AX, R9

// func classifyBlock(b *[64]byte, bb *blockBits)
TEXT ·classifyBlock(SB), NOSPLIT, $0-16
	MOVQ  b+0(FP), SI
	MOVQ  bb+8(FP), DI
	MOVOU blockConsts<>+0x00(SB), X5
	MOVOU blockConsts<>+0x10(SB), X6
	MOVOU blockConsts<>+0x20(SB), X7
	MOVOU blockConsts<>+0x30(SB), X8
	MOVOU blockConsts<>+0x40(SB), X9
	MOVOU blockConsts<>+0x50(SB), X10
	MOVOU blockConsts<>+0x60(SB), X11
	MOVOU blockConsts<>+0x70(SB), X12
	MOVOU blockConsts<>+0x80(SB), X13
	MOVOU blockConsts<>+0x90(SB), X14
	XORL  BX, BX
	XORL  CX, CX
	XORL  DX, DX
	XORL  R8, R8
	XORL  R9, R9
	XORL  R10, R10
	CLASSIFY16(0)
	CLASSIFY16(16)
	CLASSIFY16(32)
	CLASSIFY16(48)
	MOVQ  BX, 0(DI)
	MOVQ  CX, 8(DI)
	MOVQ  DX, 16(DI)
	MOVQ  R8, 24(DI)
	MOVQ  R9, 32(DI)
	MOVQ  R10, 40(DI)
	RET
