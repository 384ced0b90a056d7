/*
 * util.h: an umbrella header, nothing more. It includes the small modules
 * every other module uses, so that a module can say #include "util.h" and
 * have them all:
 *
 *   mem.h      x* allocators and the out-of-memory policy
 *   strbuf.h   growable strings and string lists, str_to_int, tail_lines
 *   fs.h       whole files, folders, copy_tree, remove_tree, tree_hash
 *   clock.h    now_ms, make_nonce
 *   proc.h     spawn, kill_group, run_logged, have_program
 *   sock.h     unix_listen
 *
 * New code may include just the header it needs.
 */
#ifndef LAB_UTIL_H
#define LAB_UTIL_H

#include "mem.h"
#include "strbuf.h"
#include "fs.h"
#include "clock.h"
#include "proc.h"
#include "sock.h"

#endif
