// Debian's libcrypto (OpenSSL 3): SHA-256, HMAC-SHA256, Ed25519 and its random bytes.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
