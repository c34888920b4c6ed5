/*
 * inventory_ssh.c - a credentialed inventory of a remote host over SSH.
 *
 * Why libssh (Debian libssh-dev, LGPL-2.1) and not the ssh client binary:
 * the host key decision (known, unknown, changed) is ours to make and log,
 * not hidden behind ssh's StrictHostKeyChecking and the user's
 * ~/.ssh/config (which libssh is told not to read here, so an alias or a
 * ProxyCommand cannot redirect a scan); errors come back as values instead
 * of text on stderr; and nothing is passed through a local shell. The
 * remote side runs plain POSIX commands; their output is hostile input,
 * read with a cap and parsed by the same parsers as the local inventory.
 */
#include "csirt/common.h"

#include <libssh/libssh.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csirt/buf.h"
#include "csirt/log.h"
#include "csirt/scan_inventory.h"

/* What the remote host is asked; each in its own channel, stderr dropped. */
#define CMD_OS_RELEASE "cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null"
#define CMD_HOSTNAME "uname -n"
#define CMD_DPKG "if [ -r /var/lib/dpkg/status ]; then cat /var/lib/dpkg/status; fi"
#define CMD_RPM "if [ -e /var/lib/rpm ] && command -v rpm >/dev/null 2>&1; then" \
	" rpm -qa --qf '" INVENTORY_RPM_QF "' 2>/dev/null; fi"

/* Runs 'cmd' on the remote host; its standard output goes to 'out' (capped).
 * With 'must_succeed', a non-zero exit status is an error: a package list
 * cut short by a failing cat or rpm must not pass for a whole one. */
static enum csirt_rc
remote_run(ssh_session s, const char *cmd, bool must_succeed, struct buf *out, int timeout_ms,
    struct csirt_err *err)
{
	ssh_channel ch = ssh_channel_new(s);
	char chunk[16384];
	enum csirt_rc rc = CSIRT_OK;
	int n;

	if (ch == NULL)
		return CSIRT_ENOMEM;
	if (ssh_channel_open_session(ch) != SSH_OK || ssh_channel_request_exec(ch, cmd) != SSH_OK) {
		rc = csirt_err_set(err, CSIRT_EIO, NULL, "cannot run a command over SSH: %s",
		    ssh_get_error(s));
		goto out;
	}
	/* Bounded twice: by the buffer's cap and by a timeout per read. */
	for (;;) {
		n = ssh_channel_read_timeout(ch, chunk, sizeof(chunk), 0, timeout_ms);
		if (n == SSH_ERROR) {
			rc = csirt_err_set(err, CSIRT_EIO, NULL, "SSH read failed: %s", ssh_get_error(s));
			goto out;
		}
		if (n == 0) {
			if (ssh_channel_is_eof(ch))
				break;
			rc = csirt_err_set(err, CSIRT_EIO, NULL,
			    "the remote host sent nothing for %d s", timeout_ms / 1000);
			goto out;
		}
		rc = buf_append(out, chunk, (size_t)n);
		if (rc != CSIRT_OK) {
			rc = csirt_err_set(err, rc, NULL, "the remote host sent more than %zu MiB",
			    INVENTORY_OUTPUT_MAX >> 20);
			goto out;
		}
	}
	ssh_channel_send_eof(ch);
	if (must_succeed) {
		int status = ssh_channel_get_exit_status(ch);

		if (status != 0)
			rc = csirt_err_set(err, CSIRT_EIO, NULL, "the remote command failed (exit status"
			    " %d): %.60s", status, cmd);
	}
out:
	ssh_channel_close(ch);
	ssh_channel_free(ch);
	return rc;
}

/* "SHA256:..." of the server's key, or "" (then the caller says so). */
static void
server_fingerprint(ssh_session s, char *fp, size_t cap)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *text;

	fp[0] = '\0';
	if (ssh_get_server_publickey(s, &key) != SSH_OK)
		return;
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) == 0) {
		text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
		if (text != NULL)
			snprintf(fp, cap, "%s %s", ssh_key_type_to_char(ssh_key_type(key)), text);
		ssh_string_free_char(text);
		ssh_clean_pubkey_hash(&hash);
	}
	ssh_key_free(key);
}

/* The host key decision: known keys pass, changed keys never do, unknown
 * keys only when the caller said so (and then they are recorded). */
static enum csirt_rc
check_host_key(ssh_session s, const struct inventory_ssh *o, const char *kh, int port,
    struct csirt_err *err)
{
	enum ssh_known_hosts_e state = ssh_session_is_known_server(s);
	char fp[160];

	server_fingerprint(s, fp, sizeof(fp));
	switch (state) {
	case SSH_KNOWN_HOSTS_OK:
		return CSIRT_OK;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		log_error("inventory: host key of %s:%d (%s) differs from the one recorded in %s:"
		    " refused", o->host, port, fp, kh);
		return csirt_err_set(err, CSIRT_EFORBIDDEN, NULL, "host key of %s:%d (%s) is not the one"
		    " recorded in %s: refused (host reinstalled, or someone in between)", o->host, port, fp, kh);
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:
		if (!o->accept_new_host_key)
			return csirt_err_set(err, CSIRT_EFORBIDDEN, NULL, "unknown host key of %s:%d (%s), not"
			    " in %s: check it, then add it or pass --accept-new-host-key", o->host,
			    port, fp, kh);
		if (ssh_session_update_known_hosts(s) != SSH_OK)
			return csirt_err_set(err, CSIRT_EIO, NULL, "cannot add the host key to %s: %s",
			    kh, ssh_get_error(s));
		log_warn("inventory: accepted the new host key of %s:%d (%s), added to %s",
		    o->host, port, fp, kh);
		return CSIRT_OK;
	case SSH_KNOWN_HOSTS_ERROR:
	default:
		return csirt_err_set(err, CSIRT_EIO, NULL, "cannot check the host key against %s: %s",
		    kh, ssh_get_error(s));
	}
}

static enum csirt_rc
authenticate(ssh_session s, const struct inventory_ssh *o, const char *user,
    struct csirt_err *err)
{
	ssh_key key = NULL;
	int r;

	if (o->identity != NULL) {
		if (access(o->identity, R_OK) != 0 ||
		    ssh_pki_import_privkey_file(o->identity, NULL, NULL, NULL, &key) != SSH_OK)
			return csirt_err_set(err, CSIRT_EINVAL, "identity", "cannot read the private key"
			    " %s (a key with a passphrase needs ssh-agent)", o->identity);
		r = ssh_userauth_publickey(s, NULL, key);
		ssh_key_free(key);
	} else {
		r = ssh_userauth_publickey_auto(s, NULL, NULL);
	}
	if (r != SSH_AUTH_SUCCESS)
		return csirt_err_set(err, CSIRT_EFORBIDDEN, NULL, "%s@%s refused the key%s", user, o->host,
		    o->identity ? "" : " (ssh-agent and ~/.ssh keys tried; use --identity)");
	return CSIRT_OK;
}

enum csirt_rc
inventory_collect_ssh(const struct inventory_ssh *o, struct package_list *out,
    struct inventory_host *h, struct csirt_err *err)
{
	int port = o->port ? o->port : 22, timeout_ms;
	long timeout = o->timeout_s > 0 ? o->timeout_s : 15;
	const char *user = o->user;
	char kh[4096];
	struct buf b;
	bool no = false;
	ssh_session s;
	size_t before = out->n;
	enum csirt_rc rc;

	timeout_ms = (int)timeout * 1000;
	if (user == NULL) {
		struct passwd *pw = getpwuid(getuid());

		user = pw ? pw->pw_name : "root";
	}
	if (o->known_hosts != NULL) {
		snprintf(kh, sizeof(kh), "%s", o->known_hosts);
	} else {
		const char *home = getenv("HOME");

		snprintf(kh, sizeof(kh), "%s/.ssh/known_hosts", home ? home : "");
	}
	memset(h, 0, sizeof(*h));
	buf_init(&b, INVENTORY_OUTPUT_MAX);
	s = ssh_new();
	if (s == NULL)
		return CSIRT_ENOMEM;
	if (ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no) != SSH_OK ||
	    ssh_options_set(s, SSH_OPTIONS_HOST, o->host) != SSH_OK ||
	    ssh_options_set(s, SSH_OPTIONS_PORT, &port) != SSH_OK ||
	    ssh_options_set(s, SSH_OPTIONS_USER, user) != SSH_OK ||
	    ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, kh) != SSH_OK ||
	    ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout) != SSH_OK) {
		rc = csirt_err_set(err, CSIRT_EINVAL, NULL, "bad SSH target %s@%s:%d: %s", user,
		    o->host, port, ssh_get_error(s));
		goto out;
	}
	if (ssh_connect(s) != SSH_OK) {
		rc = csirt_err_set(err, CSIRT_EIO, NULL, "cannot connect to %s:%d: %s", o->host, port,
		    ssh_get_error(s));
		goto out;
	}
	rc = check_host_key(s, o, kh, port, err);
	if (rc != CSIRT_OK)
		goto out_disconnect;
	rc = authenticate(s, o, user, err);
	if (rc != CSIRT_OK)
		goto out_disconnect;

	rc = remote_run(s, CMD_OS_RELEASE, false, &b, timeout_ms, err);
	if (rc != CSIRT_OK)
		goto out_disconnect;
	inventory_parse_os_release(b.data ? b.data : "", b.len, h);
	b.len = 0;
	rc = remote_run(s, CMD_HOSTNAME, false, &b, timeout_ms, err);
	if (rc != CSIRT_OK)
		goto out_disconnect;
	/* A host name is one short line of printable text; anything else is dropped. */
	for (size_t k = 0; k < b.len && k + 1 < sizeof(h->host); k++) {
		if (b.data[k] == '\n' || b.data[k] == '\r')
			break;
		if ((unsigned char)b.data[k] < 0x21 || (unsigned char)b.data[k] > 0x7e) {
			h->host[0] = '\0';
			break;
		}
		h->host[k] = b.data[k];
		h->host[k + 1] = '\0';
	}
	b.len = 0;
	rc = remote_run(s, CMD_DPKG, true, &b, timeout_ms, err);
	if (rc == CSIRT_OK)
		rc = inventory_parse_dpkg_status(b.data ? b.data : "", b.len, out, err);
	if (rc != CSIRT_OK)
		goto out_disconnect;
	b.len = 0;
	rc = remote_run(s, CMD_RPM, true, &b, timeout_ms, err);
	if (rc == CSIRT_OK)
		rc = inventory_parse_rpm_qa(b.data ? b.data : "", b.len, out, err);
	if (rc == CSIRT_OK && out->n == before)
		rc = csirt_err_set(err, CSIRT_ENOTFOUND, NULL, "%s has neither a dpkg nor an rpm"
		    " package database that %s can read", o->host, user);
out_disconnect:
	ssh_disconnect(s);
out:
	ssh_free(s);
	buf_release(&b);
	return rc;
}
