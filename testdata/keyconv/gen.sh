#!/bin/sh
# Regenerates the OpenSSL test keys of keyconv_test.go (OpenSSL 3.0 or later).
# For each key NAME: NAME.pem (PKCS#8 "PRIVATE KEY") and NAME.pub.pem
# (SubjectPublicKeyInfo "PUBLIC KEY"), both written by OpenSSL; for RSA and
# EC keys also NAME.trad.pem (PKCS#1 "RSA PRIVATE KEY" or SEC 1
# "EC PRIVATE KEY"); for RSA also NAME.rsapub.pem ("RSA PUBLIC KEY").
set -eu
cd "$(dirname "$0")"
pair() { openssl pkey -in "$1.pem" -pubout -out "$1.pub.pem"; }
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.pem
pair rsa2048
openssl rsa -in rsa2048.pem -traditional -out rsa2048.trad.pem
openssl rsa -in rsa2048.pem -RSAPublicKey_out -out rsa2048.rsapub.pem
for c in prime192v1 secp224r1 prime256v1 secp384r1 secp521r1 secp256k1 brainpoolP256r1 brainpoolP384r1 brainpoolP512r1; do
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$c -pkeyopt ec_param_enc:named_curve -out $c.pem
	pair $c
	openssl ec -in $c.pem -out $c.trad.pem
done
# "openssl ecparam -genkey" writes an "EC PARAMETERS" block before the key.
openssl ecparam -name prime256v1 -genkey -out ecparam-prime256v1.pem
for a in X25519 X448 ED25519 ED448; do
	openssl genpkey -algorithm $a -out $a.pem
	pair $a
done
# Encrypted keys, which ImportPEM must refuse (password: "test").
openssl pkey -in prime256v1.pem -aes256 -passout pass:test -out encrypted-pkcs8.pem
openssl ec -in prime256v1.pem -aes128 -passout pass:test -out encrypted-sec1.pem
