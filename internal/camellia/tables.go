package camellia

import "math/bits"

// sbox1 is SBOX1 of RFC 3713 section 2.4.4. SBOX2, SBOX3 and SBOX4 are
// defined from it by rotations, and are derived in init.
var sbox1 = [256]byte{
	112, 130, 44, 236, 179, 39, 192, 229, 228, 133, 87, 53, 234, 12, 174, 65,
	35, 239, 107, 147, 69, 25, 165, 33, 237, 14, 79, 78, 29, 101, 146, 189,
	134, 184, 175, 143, 124, 235, 31, 206, 62, 48, 220, 95, 94, 197, 11, 26,
	166, 225, 57, 202, 213, 71, 93, 61, 217, 1, 90, 214, 81, 86, 108, 77,
	139, 13, 154, 102, 251, 204, 176, 45, 116, 18, 43, 32, 240, 177, 132, 153,
	223, 76, 203, 194, 52, 126, 118, 5, 109, 183, 169, 49, 209, 23, 4, 215,
	20, 88, 58, 97, 222, 27, 17, 28, 50, 15, 156, 22, 83, 24, 242, 34,
	254, 68, 207, 178, 195, 181, 122, 145, 36, 8, 232, 168, 96, 252, 105, 80,
	170, 208, 160, 125, 161, 137, 98, 151, 84, 91, 30, 149, 224, 255, 100, 210,
	16, 196, 0, 72, 163, 247, 117, 219, 138, 3, 230, 218, 9, 63, 221, 148,
	135, 92, 131, 2, 205, 74, 144, 51, 115, 103, 246, 243, 157, 127, 191, 226,
	82, 155, 216, 38, 200, 55, 198, 59, 129, 150, 111, 75, 19, 190, 99, 46,
	233, 121, 167, 140, 159, 110, 188, 142, 41, 245, 249, 182, 47, 253, 180, 89,
	120, 152, 6, 106, 231, 70, 113, 186, 212, 37, 171, 66, 136, 162, 141, 250,
	114, 7, 185, 85, 248, 238, 172, 10, 54, 73, 42, 104, 60, 56, 241, 164,
	64, 40, 211, 123, 187, 201, 67, 193, 21, 227, 173, 244, 119, 199, 128, 158,
}

// pFunction lists, for each output byte y1..y8 of the P-function (RFC 3713
// section 2.4.3), which of the S-function outputs t1..t8 are XORed into it.
var pFunction = [8][]int{
	{1, 3, 4, 6, 7, 8},
	{1, 2, 4, 5, 7, 8},
	{1, 2, 3, 5, 6, 8},
	{2, 3, 4, 5, 6, 7},
	{1, 2, 6, 7, 8},
	{2, 3, 5, 7, 8},
	{3, 4, 5, 6, 8},
	{1, 4, 5, 6, 7},
}

// sp[i][v] is the contribution of input byte i (t_{i+1}) with value v to the
// 64-bit output of the F-function: its S-box output placed in every output
// byte that the P-function feeds it into.
var sp [8][256]uint64

func init() {
	sbox := [4]func(x byte) byte{
		func(x byte) byte { return sbox1[x] },
		func(x byte) byte { return bits.RotateLeft8(sbox1[x], 1) },
		func(x byte) byte { return bits.RotateLeft8(sbox1[x], 7) },
		func(x byte) byte { return sbox1[bits.RotateLeft8(x, 1)] },
	}
	// t1..t8 go through SBOX1, 2, 3, 4, 2, 3, 4, 1 (section 2.4.2).
	which := [8]int{0, 1, 2, 3, 1, 2, 3, 0}
	var mask [8]uint64
	for y, ts := range pFunction {
		for _, t := range ts {
			mask[t-1] |= 0xff << (56 - 8*uint(y))
		}
	}
	for i := range sp {
		for v := 0; v < 256; v++ {
			s := uint64(sbox[which[i]](byte(v)))
			sp[i][v] = s * 0x0101010101010101 & mask[i]
		}
	}
}
