/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of modexcl: every duplicate read or load of a file.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM modexcl

#if !defined(_TRACE_MODEXCL_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_MODEXCL_H

#include <linux/modexcl.h>
#include <linux/tracepoint.h>

TRACE_EVENT(modexcl_duplicate,
	    TP_PROTO(const struct modexcl_dup_event *ev),
	    TP_ARGS(ev),
	    TP_STRUCT__entry(__field(u64, seq)
			     __field(u64, ino)
			     __field(u64, bytes)
			     __field(u64, wait_ns)
			     __field(u32, dev)
			     __field(pid_t, pid)
			     __string(reader, kernel_read_file_id_str(ev->reader))
			     __string(kind, modexcl_dup_kind_name(ev->kind))
			     __string(path, ev->path)
			     __string(module, ev->module)),
	    TP_fast_assign(__entry->seq = ev->seq;
			   __entry->ino = ev->ino;
			   __entry->bytes = ev->bytes;
			   __entry->wait_ns = ev->wait_ns;
			   __entry->dev = ev->dev;
			   __entry->pid = ev->pid;
			   __assign_str(reader);
			   __assign_str(kind);
			   __assign_str(path);
			   __assign_str(module);),
	    TP_printk("reader=%s kind=%s path=%s module=%s ino=%llu dev=%u:%u pid=%d bytes=%llu wait_ns=%llu seq=%llu",
		      __get_str(reader), __get_str(kind), __get_str(path),
		      __get_str(module), __entry->ino, MAJOR(__entry->dev),
		      MINOR(__entry->dev), __entry->pid, __entry->bytes,
		      __entry->wait_ns, __entry->seq)
);

#endif /* _TRACE_MODEXCL_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
