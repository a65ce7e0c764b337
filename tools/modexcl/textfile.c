// SPDX-License-Identifier: GPL-2.0
/*
 * Atomic replacement of a file, the way node_exporter's textfile collector
 * asks for it: the new content goes to a hidden temporary file in the
 * same directory (the collector reads only *.prom, and rename() is atomic
 * only within one file system), is flushed and fsync'd, made 0644 (mkstemp
 * makes it 0600, and the collector may run as another user), and is then
 * renamed over the old file. Any error removes the temporary file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "textfile.h"

/* The cause of a failed file creation in @dir, as a user can act on it. */
static void explain(char *err, size_t len, const char *dir, int errnum)
{
	switch (errnum) {
	case ENOENT:
		snprintf(err, len, "%s does not exist: create it, or name another directory",
			 dir);
		break;
	case ENOTDIR:
		snprintf(err, len, "%s is not a directory", dir);
		break;
	case EACCES:
	case EPERM:
	case EROFS:
		snprintf(err, len, "cannot create a file in %s (%s): name a directory this user "
			 "may write to", dir, strerror(errnum));
		break;
	default:
		snprintf(err, len, "cannot create a file in %s: %s", dir, strerror(errnum));
	}
}

int mx_textfile_check_dir(const char *dir, char *err, size_t len)
{
	struct stat st;

	if (stat(dir, &st)) {
		explain(err, len, dir, errno);
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		explain(err, len, dir, ENOTDIR);
		return -ENOTDIR;
	}
	if (access(dir, W_OK | X_OK)) {
		explain(err, len, dir, errno);
		return -errno;
	}
	return 0;
}

int mx_textfile_write(const char *dir, const char *name, mx_textfile_writer print, void *data,
		      char *err, size_t len)
{
	char *tmp = NULL, *path = NULL;
	FILE *out = NULL;
	int fd, ret;

	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, name) < 0) {
		tmp = NULL;
		ret = -ENOMEM;
		snprintf(err, len, "writing %s/%s: %s", dir, name, strerror(ENOMEM));
		goto out;
	}
	if (asprintf(&path, "%s/%s", dir, name) < 0) {
		path = NULL;
		ret = -ENOMEM;
		snprintf(err, len, "writing %s/%s: %s", dir, name, strerror(ENOMEM));
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		explain(err, len, dir, errno);
		goto out;
	}
	out = fdopen(fd, "w");
	if (!out) {
		ret = -errno;
		close(fd);
		goto failed;
	}
	ret = print(out, data);
	if (ret)
		goto failed;
	errno = 0;
	if (fflush(out) || ferror(out) || fsync(fd) || fchmod(fd, 0644)) {
		ret = errno ? -errno : -EIO;
		goto failed;
	}
	ret = fclose(out) ? -errno : 0;
	out = NULL;
	if (ret || rename(tmp, path)) {
		ret = ret ? ret : -errno;
		goto failed;
	}
	goto out;

failed:
	if (!ret)
		ret = -EIO;
	snprintf(err, len, "cannot write %s: %s; it is left as it was", path, strerror(-ret));
	if (out)
		fclose(out);
	unlink(tmp);
out:
	free(tmp);
	free(path);
	return ret;
}
