/*
 * filestore.c - content-addressed files beside the database.
 */
#include "csirt/common.h"
#include "csirt/filestore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
filestore_hash_ok(const char *s)
{
	if (s == NULL || strlen(s) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static void
fsync_path(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

enum csirt_rc
filestore_put(const char *data_dir, const char *tmp_path, const char *sha256)
{
	char final[1200];

	if (!filestore_hash_ok(sha256))
		return CSIRT_EINTERNAL;
	snprintf(final, sizeof(final), "%s/evidence/%s", data_dir, sha256);
	fsync_path(tmp_path, O_RDONLY);
	if (access(final, F_OK) == 0) {
		unlink(tmp_path);	/* the same content is already stored */
	} else if (rename(tmp_path, final) != 0) {
		log_error("filestore: rename to %s: %s", final, strerror(errno));
		return CSIRT_EIO;
	}
	snprintf(final, sizeof(final), "%s/evidence", data_dir);
	fsync_path(final, O_RDONLY | O_DIRECTORY);
	return CSIRT_OK;
}

enum csirt_rc
filestore_open(const char *data_dir, const char *sha256, int *fd)
{
	char path[1200];

	if (!filestore_hash_ok(sha256))
		return CSIRT_EINTERNAL;
	snprintf(path, sizeof(path), "%s/evidence/%s", data_dir, sha256);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		log_error("filestore: %s is missing: %s", sha256, strerror(errno));
		return CSIRT_EIO;
	}
	return CSIRT_OK;
}
