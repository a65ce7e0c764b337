/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of modexcl's module hold: a claim taken after a load, and a
 * claim voided (the file changed, the module went, or a policy was raised).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM modexcl
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE modexcl_hold

#if !defined(_TRACE_MODEXCL_HOLD_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_MODEXCL_HOLD_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(modexcl_claim_class,
		    TP_PROTO(const char *module, u64 ino, u32 dev, const char *reason),
		    TP_ARGS(module, ino, dev, reason),
		    TP_STRUCT__entry(__field(u64, ino)
				     __field(u32, dev)
				     __string(module, module)
				     __string(reason, reason)),
		    TP_fast_assign(__entry->ino = ino;
				   __entry->dev = dev;
				   __assign_str(module);
				   __assign_str(reason);),
		    TP_printk("module=%s ino=%llu dev=%u:%u reason=%s",
			      __get_str(module), __entry->ino, MAJOR(__entry->dev),
			      MINOR(__entry->dev), __get_str(reason))
);

DEFINE_EVENT(modexcl_claim_class, modexcl_claim_taken,
	     TP_PROTO(const char *module, u64 ino, u32 dev, const char *reason),
	     TP_ARGS(module, ino, dev, reason)
);

DEFINE_EVENT(modexcl_claim_class, modexcl_claim_voided,
	     TP_PROTO(const char *module, u64 ino, u32 dev, const char *reason),
	     TP_ARGS(module, ino, dev, reason)
);

#endif /* _TRACE_MODEXCL_HOLD_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
