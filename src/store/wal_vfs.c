/*
 * wal_vfs.c - a thin SQLite VFS over the default one that writes each
 * commit's WAL frames with one system call instead of two per page.
 *
 * Measured (docs/BENCHMARKS-api.md): SQLite writes a WAL frame as two
 * pwrite() calls, its 24-byte header and its page; a batch of ~7 incident
 * creations commits ~40 frames, so ~80 pwrite() calls at 17 us each on
 * this virtual machine: 1.4 ms of the 2.3 ms that the write lock was held
 * for the COMMIT, while the bytes themselves take a few microseconds.
 * SQLite has no setting for it, so the WAL file's writes are gathered here
 * while they are contiguous and written out at once.
 *
 * Why this is safe: nothing reads frames before they are written out.
 * Buffered bytes are written before any read, size, truncate or close of
 * the same file handle, and before every sync; with synchronous=FULL
 * (src/store/sqlite.c) a commit syncs the WAL before it publishes its
 * frames in the wal-index, which is the only way other connections learn
 * of them. A process killed with bytes still buffered dies before its
 * commit was published or acknowledged: the same as dying before the
 * write() calls. A write that does not continue the buffer (SQLite
 * rewriting a frame of the open transaction) writes the buffer out first,
 * so writes reach the file in the order SQLite made them.
 *
 * Every other file (the database, the wal-index) passes straight through.
 */
#include "csirt/common.h"
#include "store/sqlite_int.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define WAL_VFS_NAME "csirt-wal"
/* Beyond this many buffered bytes they are written out: a commit of a few
 * hundred pages fits, a huge one (a migration) costs a write per 4 MiB. */
#define BUF_MAX (4u << 20)
/* A buffer grown past this is freed after it is written out, so that one
 * big transaction does not keep its memory for the life of the process. */
#define BUF_KEEP (512u << 10)
/* The most one write to the unix VFS may carry (see wal_flush). */
#define WRITE_MAX (124u << 10)

struct wal_file {
	sqlite3_file base;
	sqlite3_file *real;	/* the default VFS's file, allocated after this */
	int is_wal;
	char *buf;
	size_t len, cap;
	sqlite3_int64 start;	/* file offset of buf[0] */
};

static sqlite3_vfs wal_vfs;
static sqlite3_vfs *real_vfs;
static sqlite3_io_methods wal_methods;

static struct wal_file *
wf(sqlite3_file *f)
{
	return (struct wal_file *)f;
}

static int
wal_flush(struct wal_file *p)
{
	int rc = SQLITE_OK;

	/* in pieces: the unix VFS writes at most 128 KiB - 1 per call (it
	 * masks the length with 0x1ffff) and reports a longer write as a
	 * full disk */
	for (size_t done = 0; done < p->len && rc == SQLITE_OK; done += WRITE_MAX) {
		size_t n = p->len - done < WRITE_MAX ? p->len - done : WRITE_MAX;

		rc = p->real->pMethods->xWrite(p->real, p->buf + done, (int)n,
		    p->start + (sqlite3_int64)done);
	}
	p->len = 0;
	if (p->cap > BUF_KEEP) {
		free(p->buf);
		p->buf = NULL;
		p->cap = 0;
	}
	return rc;
}

static int
wal_close(sqlite3_file *f)
{
	struct wal_file *p = wf(f);
	int rc = wal_flush(p);
	int rc2 = p->real->pMethods->xClose(p->real);

	free(p->buf);
	p->buf = NULL;
	p->cap = 0;
	return rc != SQLITE_OK ? rc : rc2;
}

static int
wal_read(sqlite3_file *f, void *out, int n, sqlite3_int64 off)
{
	struct wal_file *p = wf(f);
	int rc = wal_flush(p);

	return rc != SQLITE_OK ? rc : p->real->pMethods->xRead(p->real, out, n, off);
}

static int
wal_write(sqlite3_file *f, const void *data, int n, sqlite3_int64 off)
{
	struct wal_file *p = wf(f);
	int rc;

	if (!p->is_wal || n <= 0)
		return p->real->pMethods->xWrite(p->real, data, n, off);
	if (p->len && off != p->start + (sqlite3_int64)p->len) {
		rc = wal_flush(p);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (p->len + (size_t)n > p->cap) {
		size_t want = p->cap ? p->cap : 64u << 10;
		char *nb;

		while (want < p->len + (size_t)n && want < BUF_MAX)
			want *= 2;
		if (p->len + (size_t)n > want) {	/* past BUF_MAX: write through */
			rc = wal_flush(p);
			return rc != SQLITE_OK ? rc : p->real->pMethods->xWrite(p->real, data, n, off);
		}
		nb = realloc(p->buf, want);
		if (nb == NULL) {
			rc = wal_flush(p);
			return rc != SQLITE_OK ? rc : p->real->pMethods->xWrite(p->real, data, n, off);
		}
		p->buf = nb;
		p->cap = want;
	}
	if (p->len == 0)
		p->start = off;
	memcpy(p->buf + p->len, data, (size_t)n);
	p->len += (size_t)n;
	return SQLITE_OK;
}

static int
wal_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct wal_file *p = wf(f);
	int rc = wal_flush(p);

	return rc != SQLITE_OK ? rc : p->real->pMethods->xTruncate(p->real, size);
}

static int
wal_sync(sqlite3_file *f, int flags)
{
	struct wal_file *p = wf(f);
	int rc = wal_flush(p);

	return rc != SQLITE_OK ? rc : p->real->pMethods->xSync(p->real, flags);
}

static int
wal_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct wal_file *p = wf(f);
	int rc = wal_flush(p);

	return rc != SQLITE_OK ? rc : p->real->pMethods->xFileSize(p->real, size);
}

/* The rest pass through. */
static int
wal_lock(sqlite3_file *f, int l)
{
	return wf(f)->real->pMethods->xLock(wf(f)->real, l);
}

static int
wal_unlock(sqlite3_file *f, int l)
{
	return wf(f)->real->pMethods->xUnlock(wf(f)->real, l);
}

static int
wal_check_reserved(sqlite3_file *f, int *out)
{
	return wf(f)->real->pMethods->xCheckReservedLock(wf(f)->real, out);
}

static int
wal_file_control(sqlite3_file *f, int op, void *arg)
{
	struct wal_file *p = wf(f);
	int rc = wal_flush(p);

	return rc != SQLITE_OK ? rc : p->real->pMethods->xFileControl(p->real, op, arg);
}

static int
wal_sector_size(sqlite3_file *f)
{
	return wf(f)->real->pMethods->xSectorSize(wf(f)->real);
}

static int
wal_device_characteristics(sqlite3_file *f)
{
	return wf(f)->real->pMethods->xDeviceCharacteristics(wf(f)->real);
}

static int
wal_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **out)
{
	return wf(f)->real->pMethods->xShmMap(wf(f)->real, pg, pgsz, extend, out);
}

static int
wal_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return wf(f)->real->pMethods->xShmLock(wf(f)->real, offset, n, flags);
}

static void
wal_shm_barrier(sqlite3_file *f)
{
	wf(f)->real->pMethods->xShmBarrier(wf(f)->real);
}

static int
wal_shm_unmap(sqlite3_file *f, int del)
{
	return wf(f)->real->pMethods->xShmUnmap(wf(f)->real, del);
}

static int
wal_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	struct wal_file *p = wf(f);
	int rc = wal_flush(p);

	return rc != SQLITE_OK ? rc : p->real->pMethods->xFetch(p->real, off, n, out);
}

static int
wal_unfetch(sqlite3_file *f, sqlite3_int64 off, void *ptr)
{
	return wf(f)->real->pMethods->xUnfetch(wf(f)->real, off, ptr);
}

static int
wal_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	struct wal_file *p = wf(f);
	int rc;

	memset(p, 0, sizeof(*p));
	p->real = (sqlite3_file *)(p + 1);
	rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out_flags);
	if (rc != SQLITE_OK || p->real->pMethods == NULL) {
		p->base.pMethods = NULL;
		return rc;
	}
	if (p->real->pMethods->iVersion < 3) {
		/* The unix VFS has version 3 methods; anything else is
		 * used as it is rather than half wrapped. */
		p->real->pMethods->xClose(p->real);
		p->base.pMethods = NULL;
		return SQLITE_CANTOPEN;
	}
	p->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
	p->base.pMethods = &wal_methods;
	return SQLITE_OK;
}

/* The VFS's other entries are the default VFS's own. */
static int
vfs_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int
vfs_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int
vfs_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *
vfs_dl_open(sqlite3_vfs *v, const char *name)
{
	return real_vfs->xDlOpen(real_vfs, name);
}

static void
vfs_dl_error(sqlite3_vfs *v, int n, char *out)
{
	real_vfs->xDlError(real_vfs, n, out);
}

static void (*vfs_dl_sym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void
vfs_dl_close(sqlite3_vfs *v, void *h)
{
	real_vfs->xDlClose(real_vfs, h);
}

static int
vfs_randomness(sqlite3_vfs *v, int n, char *out)
{
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int
vfs_sleep(sqlite3_vfs *v, int us)
{
	return real_vfs->xSleep(real_vfs, us);
}

static int
vfs_current_time(sqlite3_vfs *v, double *out)
{
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int
vfs_get_last_error(sqlite3_vfs *v, int n, char *out)
{
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int
vfs_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int registered;

static void
wal_vfs_register(void)
{
	static const sqlite3_io_methods methods = {
		.iVersion = 3,
		.xClose = wal_close,
		.xRead = wal_read,
		.xWrite = wal_write,
		.xTruncate = wal_truncate,
		.xSync = wal_sync,
		.xFileSize = wal_file_size,
		.xLock = wal_lock,
		.xUnlock = wal_unlock,
		.xCheckReservedLock = wal_check_reserved,
		.xFileControl = wal_file_control,
		.xSectorSize = wal_sector_size,
		.xDeviceCharacteristics = wal_device_characteristics,
		.xShmMap = wal_shm_map,
		.xShmLock = wal_shm_lock,
		.xShmBarrier = wal_shm_barrier,
		.xShmUnmap = wal_shm_unmap,
		.xFetch = wal_fetch,
		.xUnfetch = wal_unfetch,
	};

	real_vfs = sqlite3_vfs_find(NULL);
	if (real_vfs == NULL || real_vfs->iVersion < 2)
		return;
	wal_methods = methods;
	wal_vfs.iVersion = 2;
	wal_vfs.szOsFile = (int)sizeof(struct wal_file) + real_vfs->szOsFile;
	wal_vfs.mxPathname = real_vfs->mxPathname;
	wal_vfs.zName = WAL_VFS_NAME;
	wal_vfs.xOpen = wal_open;
	wal_vfs.xDelete = vfs_delete;
	wal_vfs.xAccess = vfs_access;
	wal_vfs.xFullPathname = vfs_full_pathname;
	wal_vfs.xDlOpen = vfs_dl_open;
	wal_vfs.xDlError = vfs_dl_error;
	wal_vfs.xDlSym = vfs_dl_sym;
	wal_vfs.xDlClose = vfs_dl_close;
	wal_vfs.xRandomness = vfs_randomness;
	wal_vfs.xSleep = vfs_sleep;
	wal_vfs.xCurrentTime = vfs_current_time;
	wal_vfs.xGetLastError = vfs_get_last_error;
	wal_vfs.xCurrentTimeInt64 = vfs_current_time_int64;
	registered = sqlite3_vfs_register(&wal_vfs, 0) == SQLITE_OK;
}

const char *
store_wal_vfs(void)
{
	pthread_once(&once, wal_vfs_register);
	return registered ? WAL_VFS_NAME : NULL;
}
