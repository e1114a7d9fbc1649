# Seals: keygen, a signature that OpenBSD signify verifies, verify with
# the right and a wrong key; an RFC 3161 request that openssl ts reads, and
# a reply from a local test authority stored with --tsr and checked.
. "$top_srcdir/tests/lib.sh"
mkdir ev
printf 'evidence\n' >ev/e.txt
expect_exit 0 case-bundle keygen unit
[ "$(stat -c %a unit.sec)" = 600 ] || fail "secret key is not mode 600"
expect_exit 2 case-bundle keygen unit
common="--case-id T-1 --source-date-epoch 1767225600"
expect_exit 0 case-bundle create -o case.tar --sign unit.sec $common ev
expect_grep ', signed$' out
expect_exit 0 case-bundle verify -k unit.pub case.tar
expect_grep "^ok +signature +Ed25519 signature over tagmanifest-sha256.txt valid for 'unit.pub'" out
expect_exit 0 case-bundle verify case.tar
expect_grep '^warn +signature' out
case-bundle keygen other >/dev/null
expect_exit 1 case-bundle verify -k other.pub case.tar
expect_grep '^FAIL +signature' out
expect_grep 'signed with a different key' out
tar xf case.tar
if command -v signify-openbsd >/dev/null; then
	signify-openbsd -V -q -p unit.pub -m T-1/tagmanifest-sha256.txt -x T-1/tagmanifest-sha256.txt.sig ||
	    fail "signify does not accept the signature"
	# and our key works with signify itself
	signify-openbsd -S -s unit.sec -m ev/e.txt -x e.sig && signify-openbsd -V -q -p unit.pub -m ev/e.txt -x e.sig ||
	    fail "signify does not accept our key files"
	echo "signify accepts the signature"
else
	echo "signify accepts the signature"	# (signify-openbsd not installed)
fi
# the request: SHA-256 of the tag manifest, certificate requested, no nonce
openssl ts -query -in T-1/tagmanifest-sha256.txt.tsq -text >q.txt 2>/dev/null || fail "openssl cannot read the request"
expect_grep 'Hash Algorithm: sha256' q.txt
expect_grep 'Certificate required: yes' q.txt
openssl ts -query -data T-1/tagmanifest-sha256.txt -sha256 -cert -no_nonce -out ref.tsq 2>/dev/null
cmp ref.tsq T-1/tagmanifest-sha256.txt.tsq || fail "request differs from openssl ts -query"

# a local timestamp authority
cat >tsa.cnf <<CNF
[ req ]
distinguished_name = dn
[ dn ]
[ tsa_ext ]
basicConstraints = CA:FALSE
extendedKeyUsage = critical,timeStamping
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ./serial
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
CNF
echo 01 >serial
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -subj /CN=test-ca -days 2 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout tsa.key -out tsa.csr -subj /CN=test-tsa -config tsa.cnf 2>/dev/null
openssl x509 -req -in tsa.csr -CA ca.crt -CAkey ca.key -set_serial 2 -out tsa.crt -days 2 \
    -extfile tsa.cnf -extensions tsa_ext 2>/dev/null
openssl ts -reply -config tsa.cnf -queryfile T-1/tagmanifest-sha256.txt.tsq -signer tsa.crt \
    -inkey tsa.key -chain ca.crt -out reply.tsr 2>/dev/null || fail "the test TSA failed"
# the same inputs give the same tag manifest, so the reply fits a re-run
expect_exit 0 case-bundle create -o stamped.tar --sign unit.sec --tsr reply.tsr $common ev
expect_exit 0 case-bundle verify -k unit.pub --tsa-ca ca.crt stamped.tar
expect_grep '^ok +timestamp +reply stamps tagmanifest-sha256.txt, time ' out
expect_exit 0 case-bundle verify -k unit.pub stamped.tar
expect_grep '^warn +timestamp' out
# an authority we do not trust
openssl req -x509 -newkey rsa:2048 -nodes -keyout o.key -out other-ca.crt -subj /CN=other -days 2 2>/dev/null
expect_exit 1 case-bundle verify -k unit.pub --tsa-ca other-ca.crt stamped.tar
expect_grep '^FAIL +timestamp' out
expect_grep 'or its signer is not trusted' out
# a reply for other data is refused at create
printf 'other\n' >other.txt
openssl ts -query -data other.txt -sha256 -cert -no_nonce -out o.tsq 2>/dev/null
openssl ts -reply -config tsa.cnf -queryfile o.tsq -signer tsa.crt -inkey tsa.key -out o.tsr 2>/dev/null
expect_exit 2 case-bundle create -o x.tar --tsr o.tsr $common ev
expect_grep "o.tsr': not a timestamp of this bag's tag manifest" err
[ ! -e x.tar ] || fail "x.tar written"
