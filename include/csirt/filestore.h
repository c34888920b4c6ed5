/*
 * filestore.h - files stored by content next to the database, under
 * DATA/evidence/<sha256> (incident evidence, level dossier parts, e-mail
 * attachments). An identical file is stored once.
 */
#ifndef CSIRT_FILESTORE_H
#define CSIRT_FILESTORE_H

#include "csirt/err.h"

/* True when s is 64 lower-case hex digits. */
int filestore_hash_ok(const char *s);

/*
 * Moves the written file 'tmp_path' to its content address, durably
 * (fsync of the file, then of the folder), before the caller writes the
 * row that names it: a crash in between leaves an unreferenced file, never
 * a row without its file. 'tmp_path' is gone on success.
 */
enum csirt_rc filestore_put(const char *data_dir, const char *tmp_path, const char *sha256);

/* Opens the file of 'sha256' for reading; CSIRT_EIO when it is missing. */
enum csirt_rc filestore_open(const char *data_dir, const char *sha256, int *fd);

#endif
