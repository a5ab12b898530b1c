//go:build ignore

// mkmany writes the descriptions of the synthetic drivers of package many:
// 50 transparent drivers whose capabilities cover the entry points of the
// benchmarks with filters that the benchmarked calls pass partly (the key
// type) but not wholly, so that each call evaluates every driver's
// condition before it reaches the builtin driver.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

const n = 50

func main() {
	var list []string
	for i := range n {
		name := fmt.Sprintf("s%02d.json", i)
		desc := fmt.Sprintf(`{
    "prefix": "synthetic%02d",
    "type": "transparent",
    "gopsa/package": "github.com/gopsa/psa/internal/dispatch/dispatchtest",
    "gopsa/type": "Synthetic",
    "capabilities": [
        {
            "entry_points": ["import_key", "generate_key", "export_public_key", "hash_compute", "aead_encrypt", "aead_decrypt", "sign_hash"],
            "algorithms": ["PSA_ALG_SHA3_256", "PSA_ALG_CCM", "PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)"],
            "key_types": ["PSA_KEY_TYPE_AES", "PSA_KEY_TYPE_ECC_KEY_PAIR(_)"],
            "key_sizes": [%d],
            "fallback": true
        }
    ]
}
`, i, 1000+i)
		if err := os.WriteFile(filepath.Join("testdata", name), []byte(desc), 0o644); err != nil {
			log.Fatal(err)
		}
		list = append(list, `"`+name+`"`)
	}
	list = append(list, `"../../../../../drivers/builtin/driver.json"`)
	data := "[\n    " + strings.Join(list, ",\n    ") + "\n]\n"
	if err := os.WriteFile(filepath.Join("testdata", "list.json"), []byte(data), 0o644); err != nil {
		log.Fatal(err)
	}
}
