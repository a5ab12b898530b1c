package values

import (
	"errors"
	"testing"
)

func addSeeds(f *testing.F) {
	for _, s := range []string{
		"PSA_ALG_HMAC(PSA_ALG_SHA_256)", "PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_HKDF(PSA_ALG_SHA_256))",
		"PSA_ALG_AT_LEAST_THIS_LENGTH_MAC(PSA_ALG_HMAC(PSA_ALG_SHA_256), 20)", "0x06000609", "PSA_ALG_CCM",
		"PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)", "PSA_KEY_TYPE_DH_PUBLIC_KEY(0x7f)", "((1))",
		"PSA_ALG_TRUNCATED_MAC(PSA_ALG_CMAC, 0x3f)", "PSA_KEY_TYPE_AES", "0x7300", "_", "(", "-5", "a|b",
	} {
		f.Add(s)
	}
}

// FuzzParseAlgorithm checks that ParseAlgorithm never panics, that its
// errors wrap ErrInvalidArgument, and that whatever parses prints back to
// a string that parses to the same value.
func FuzzParseAlgorithm(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAlgorithm(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("ParseAlgorithm(%q): error %v does not wrap ErrInvalidArgument", s, err)
			}
			return
		}
		back, err := ParseAlgorithm(a.String())
		if err != nil || back != a {
			t.Fatalf("ParseAlgorithm(%q) = %#x, prints %q, which parses to %#x, %v", s, uint32(a), a.String(), uint32(back), err)
		}
	})
}

// FuzzParseKeyType is FuzzParseAlgorithm for key types and key type specs.
func FuzzParseKeyType(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		if k, err := ParseKeyType(s); err == nil {
			back, err := ParseKeyType(k.String())
			if err != nil || back != k {
				t.Fatalf("ParseKeyType(%q) = %#x, prints %q, which parses to %#x, %v", s, uint16(k), k.String(), uint16(back), err)
			}
		} else if !errors.Is(err, ErrInvalidArgument) {
			t.Fatalf("ParseKeyType(%q): %v", s, err)
		}
		if spec, err := ParseKeyTypeSpec(s); err == nil {
			back, err := ParseKeyTypeSpec(spec.String())
			if err != nil || back != spec {
				t.Fatalf("ParseKeyTypeSpec(%q) = %+v, prints %q, which parses to %+v, %v", s, spec, spec.String(), back, err)
			}
		}
	})
}

// FuzzParseOthers runs the other parsers on arbitrary input.
func FuzzParseOthers(f *testing.F) {
	addSeeds(f)
	f.Add("PSA_KEY_USAGE_EXPORT | 0x80000000")
	f.Add("PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(2, 0x800001)")
	f.Add("PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_DH, PSA_DH_FAMILY_RFC7919, 2048)")
	f.Fuzz(func(t *testing.T, s string) {
		if u, err := ParseKeyUsage(s); err == nil {
			if back, err := ParseKeyUsage(u.String()); err != nil || back != u {
				t.Fatalf("usage %q: %v %v", s, back, err)
			}
		}
		if l, err := ParseLifetime(s); err == nil {
			if back, err := ParseLifetime(l.String()); err != nil || back != l {
				t.Fatalf("lifetime %q: %v %v", s, back, err)
			}
		}
		if p, err := ParsePAKEPrimitive(s); err == nil {
			if back, err := ParsePAKEPrimitive(p.String()); err != nil || back != p {
				t.Fatalf("PAKE primitive %q: %v %v", s, back, err)
			}
		}
		if st, err := ParseStatus(s); err == nil {
			if back, err := ParseStatus(st.String()); err != nil || back != st {
				t.Fatalf("status %q: %v %v", s, back, err)
			}
		}
	})
}
