package values

// Key usage flags.
const (
	UsageExport           KeyUsage = 0x00000001
	UsageCopy             KeyUsage = 0x00000002
	UsageCache            KeyUsage = 0x00000004
	UsageDerivePublic     KeyUsage = 0x00000080 // only a psa_check_key_usage query
	UsageEncrypt          KeyUsage = 0x00000100
	UsageDecrypt          KeyUsage = 0x00000200
	UsageSignMessage      KeyUsage = 0x00000400
	UsageVerifyMessage    KeyUsage = 0x00000800
	UsageSignHash         KeyUsage = 0x00001000
	UsageVerifyHash       KeyUsage = 0x00002000
	UsageDerive           KeyUsage = 0x00004000
	UsageVerifyDerivation KeyUsage = 0x00008000
	UsageWrap             KeyUsage = 0x00010000
	UsageUnwrap           KeyUsage = 0x00020000
)

// WithImplied returns u with the flags the specification sets
// automatically: UsageSignHash implies UsageSignMessage and
// UsageVerifyHash implies UsageVerifyMessage. A key created with u has
// the usage u.WithImplied(), and reports it in its attributes.
func (u KeyUsage) WithImplied() KeyUsage {
	if u&UsageSignHash != 0 {
		u |= UsageSignMessage
	}
	if u&UsageVerifyHash != 0 {
		u |= UsageVerifyMessage
	}
	return u
}
