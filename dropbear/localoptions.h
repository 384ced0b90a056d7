/*
 * dropbear/localoptions.h: the lab's compile-time choices for Dropbear
 * (dropbear/build.sh copies it into the build folder, where Dropbear's
 * options.h includes it before default_options.h). Change a line here and
 * `make dropbear` rebuilds.
 *
 * The kinds of key stay Dropbear's defaults (Ed25519, ECDSA, RSA: 2022.83
 * does not build with RSA or ECDSA turned off). Which host key a login
 * uses is the client's choice among them: OpenSSH's client asks for
 * Ed25519 first, and with `dropbear -R` only that key is made, in a few
 * milliseconds even on an emulated CPU (an RSA key takes seconds).
 */

/* Log in with a key only: root has no password in the lab's /etc/passwd,
 * and a key is what the check (and a careful administrator) uses. */
#define DROPBEAR_SVR_PASSWORD_AUTH 0
#define DROPBEAR_SVR_PUBKEY_AUTH 1

/* No agent or X11 forwarding: nothing in the guest would use them. */
#define DROPBEAR_SVR_AGENTFWD 0
#define DROPBEAR_X11FWD 0
