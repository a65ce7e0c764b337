/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/modexcl.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_MODEXCL_H
#define _UAPI_LINUX_MODEXCL_H

#define MODEXCL_FAMILY_NAME	"modexcl"
#define MODEXCL_FAMILY_VERSION	1

/**
 * enum modexcl_reader - The kernel_read_file() reader, by the kernel's own
 *   kernel_read_file_id_str() name. Values are enum kernel_read_file_id.
 */
enum modexcl_reader {
	MODEXCL_READER_FIRMWARE = 1,
	MODEXCL_READER_KERNEL_MODULE,
	MODEXCL_READER_KEXEC_IMAGE,
	MODEXCL_READER_KEXEC_INITRAMFS,
	MODEXCL_READER_SECURITY_POLICY,
	MODEXCL_READER_X509_CERTIFICATE,
};

/**
 * enum modexcl_mode - Read policy of one reader.
 * @MODEXCL_MODE_SHARED: Stock behaviour.
 * @MODEXCL_MODE_EXCLUSIVE: Two exclusive reads of the same inode never
 *   overlap.
 * @MODEXCL_MODE_HOLD: kernel-module only. A load of an unchanged file whose
 *   module is live returns -EEXIST before the file is read.
 */
enum modexcl_mode {
	MODEXCL_MODE_SHARED,
	MODEXCL_MODE_EXCLUSIVE,
	MODEXCL_MODE_HOLD,
};

/**
 * enum modexcl_inactive - Why the mode of a reader does not apply now. While
 *   any of these is set the reader's reads run as shared, the mode a kernel
 *   without modexcl has; the mode set stays, and applies again when none is.
 * @MODEXCL_INACTIVE_IMA_POLICY: hold: a rule of the IMA policy now loaded
 *   could measure, appraise, audit or hash the reader's reads, which hold
 *   would skip.
 * @MODEXCL_INACTIVE_NO_LSM_NOTIFIER: hold: the kernel could not register for
 *   LSM policy changes, so a claim could outlive one.
 * @MODEXCL_INACTIVE_NO_FILE_WATCH: hold: the kernel could not set up the
 *   fsnotify group whose marks void a claim when its file changes.
 */
enum modexcl_inactive {
	MODEXCL_INACTIVE_IMA_POLICY = 1,
	MODEXCL_INACTIVE_NO_LSM_NOTIFIER = 2,
	MODEXCL_INACTIVE_NO_FILE_WATCH = 4,
};

/**
 * enum modexcl_dup_kind - Kind of a duplicate attempt.
 * @MODEXCL_DUP_KIND_CONCURRENT: Joined an in-flight load of the same inode (0
 *   bytes read).
 * @MODEXCL_DUP_KIND_SERIAL: Refused by a hold claim before reading (0 bytes
 *   read).
 * @MODEXCL_DUP_KIND_READ: Read the whole file, then failed as a duplicate.
 * @MODEXCL_DUP_KIND_EXCLUSIVE_WAIT: An exclusive read waited for another read
 *   of the same inode.
 */
enum modexcl_dup_kind {
	MODEXCL_DUP_KIND_CONCURRENT,
	MODEXCL_DUP_KIND_SERIAL,
	MODEXCL_DUP_KIND_READ,
	MODEXCL_DUP_KIND_EXCLUSIVE_WAIT,
};

/**
 * enum modexcl_source - Where the attempts of a record come from.
 * @MODEXCL_SOURCE_FILE: A file read by kernel_read_file(): finit_module(),
 *   firmware and the other readers; the record is the file's.
 * @MODEXCL_SOURCE_IMAGE: init_module() images, passed as a buffer with no
 *   file: one record per module, on device 0, with the path "[init_module]".
 */
enum modexcl_source {
	MODEXCL_SOURCE_FILE,
	MODEXCL_SOURCE_IMAGE,
};

/**
 * enum modexcl_claim - Whether a hold claim of the kernel-module reader covers
 *   a record now.
 * @MODEXCL_CLAIM_NONE: No claim: the next duplicate reads the file or copies
 *   the image, as on stock. Not under hold, hold cannot apply (see inactive),
 *   nothing was loaded from it under hold, or its claim was voided (the file
 *   changed, the module went, a policy changed) and no duplicate has taken it
 *   again yet.
 * @MODEXCL_CLAIM_HELD: Under hold, the next duplicate of the module from this
 *   file (or, for an image record, of this image) fails with -EEXIST before it
 *   is read or copied.
 * @MODEXCL_CLAIM_NEVER: Under hold, no claim can ever cover this file: its
 *   file system can change it without this kernel seeing the change (NFS,
 *   Ceph, FUSE, ramfs, and any file system hold is not known to watch), so its
 *   duplicates read the file as stock does.
 */
enum modexcl_claim {
	MODEXCL_CLAIM_NONE,
	MODEXCL_CLAIM_HELD,
	MODEXCL_CLAIM_NEVER,
};

enum {
	MODEXCL_A_RECORD_READER = 1,
	MODEXCL_A_RECORD_MODULE,
	MODEXCL_A_RECORD_PATH,
	MODEXCL_A_RECORD_INO,
	MODEXCL_A_RECORD_DEV,
	MODEXCL_A_RECORD_LOADS,
	MODEXCL_A_RECORD_DUP_CONCURRENT,
	MODEXCL_A_RECORD_DUP_SERIAL,
	MODEXCL_A_RECORD_DUP_READ,
	MODEXCL_A_RECORD_BYTES_WASTED,
	MODEXCL_A_RECORD_BYTES_AVOIDED,
	MODEXCL_A_RECORD_WAIT_NS,
	MODEXCL_A_RECORD_LAST_SEEN,
	MODEXCL_A_RECORD_FAILED,
	MODEXCL_A_RECORD_HOLDER_PID,
	MODEXCL_A_RECORD_HOLDER_COMM,
	MODEXCL_A_RECORD_PAD,
	MODEXCL_A_RECORD_WAITING,
	MODEXCL_A_RECORD_LAST_CALLER,
	MODEXCL_A_RECORD_FORMAT_REFUSED,
	MODEXCL_A_RECORD_SOURCE,
	MODEXCL_A_RECORD_CLAIM,

	__MODEXCL_A_RECORD_MAX,
	MODEXCL_A_RECORD_MAX = (__MODEXCL_A_RECORD_MAX - 1)
};

enum {
	MODEXCL_A_POLICY_READER = 1,
	MODEXCL_A_POLICY_MODE,
	MODEXCL_A_POLICY_OLD_MODE,
	MODEXCL_A_POLICY_SEQ,
	MODEXCL_A_POLICY_PAD,
	MODEXCL_A_POLICY_INACTIVE,
	MODEXCL_A_POLICY_ACTOR,
	MODEXCL_A_POLICY_TIME_NS,

	__MODEXCL_A_POLICY_MAX,
	MODEXCL_A_POLICY_MAX = (__MODEXCL_A_POLICY_MAX - 1)
};

enum {
	MODEXCL_A_DUP_SEQ = 1,
	MODEXCL_A_DUP_READER,
	MODEXCL_A_DUP_KIND,
	MODEXCL_A_DUP_PATH,
	MODEXCL_A_DUP_MODULE,
	MODEXCL_A_DUP_INO,
	MODEXCL_A_DUP_DEV,
	MODEXCL_A_DUP_PID,
	MODEXCL_A_DUP_BYTES,
	MODEXCL_A_DUP_WAIT_NS,
	MODEXCL_A_DUP_PAD,
	MODEXCL_A_DUP_CALLER,
	MODEXCL_A_DUP_TIME_NS,

	__MODEXCL_A_DUP_MAX,
	MODEXCL_A_DUP_MAX = (__MODEXCL_A_DUP_MAX - 1)
};

enum {
	MODEXCL_A_RESET_SEQ = 1,
	MODEXCL_A_RESET_ACTOR,
	MODEXCL_A_RESET_TIME_NS,
	MODEXCL_A_RESET_PAD,

	__MODEXCL_A_RESET_MAX,
	MODEXCL_A_RESET_MAX = (__MODEXCL_A_RESET_MAX - 1)
};

enum {
	MODEXCL_A_TASK_PID = 1,
	MODEXCL_A_TASK_COMM,
	MODEXCL_A_TASK_PPID,
	MODEXCL_A_TASK_PARENT_COMM,
	MODEXCL_A_TASK_UID,
	MODEXCL_A_TASK_CGROUP,
	MODEXCL_A_TASK_PAD,

	__MODEXCL_A_TASK_MAX,
	MODEXCL_A_TASK_MAX = (__MODEXCL_A_TASK_MAX - 1)
};

enum {
	MODEXCL_CMD_STATS_GET = 1,
	MODEXCL_CMD_STATS_RESET,
	MODEXCL_CMD_POLICY_GET,
	MODEXCL_CMD_POLICY_SET,
	MODEXCL_CMD_DUP_NTF,
	MODEXCL_CMD_POLICY_NTF,
	MODEXCL_CMD_STATS_RESET_NTF,

	__MODEXCL_CMD_MAX,
	MODEXCL_CMD_MAX = (__MODEXCL_CMD_MAX - 1)
};

#define MODEXCL_MCGRP_MONITOR	"monitor"

#endif /* _UAPI_LINUX_MODEXCL_H */
