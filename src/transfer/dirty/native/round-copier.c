/*
 * migbench-round-copier: B's round copier for the delta stream, in C (issue 15, item 2).
 *
 * Same role and interface as the Node copier (src/transfer/dirty/round-copier-main.ts) in its
 * delta mode: one TCP connection to A's delta server (wire format: delta-wire.ts), NDJSON
 * batches on stdin ({"extents":[[offset,length],...],"warm":true?}), one NDJSON reply per
 * batch on stdout ({"ok":true,"bytes":N,"ms":..,"copyMs":..,"flushMs":..} or
 * {"ok":false,"error":".."}). Why C: the Node copier spent 150-285 ms of CPU per pass of 4096
 * scattered 4 KiB blocks (a libuv pool hop per block), above the link's 145 ms for 16 MiB.
 *
 * Hot path: the stream's bytes are received straight into aligned 1 MiB slots; each extent
 * (neighbours that are adjacent on B's device merged into one write) is written with an
 * O_DIRECT write submitted through io_uring as soon as its last byte is in, many in flight,
 * one submit syscall per received chunk. Extents that are not 4 KiB-aligned go through the
 * page cache (pwrite); the pass's fdatasync covers them. A warm batch receives the bytes and
 * writes nothing.
 *
 * Usage: migbench-round-copier HOST PORT DEVICE. Exit 3 when it cannot start (connect, open).
 * Test hook: MIGBENCH_COPIER_FAULT=drop|flip skips the write of / corrupts one byte of the
 * first extent of each non-warm batch (for the tests that prove the byte check fails).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ALIGN 4096u
#define SLOTS 8
#define SLOT_BYTES (1u << 20)
#define RING_ENTRIES 256
#define CQ_ENTRIES 4096
/* At most this many writes in flight: below the completion queue's size, so none is dropped. */
#define MAX_INFLIGHT 2048
#define MAX_EXTENTS (1u << 26)

struct extent { uint64_t off; uint64_t len; };

static int sock = -1, fd_direct = -1, fd_buffered = -1;
static struct io_uring ring;
static unsigned char *slot_buf[SLOTS];
static int slot_inflight[SLOTS];
static int inflight;
static char errmsg[512];
static int broken; /* the connection is unusable: every later batch fails */
static const char *fault;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errmsg, sizeof errmsg, fmt, ap);
  va_end(ap);
  return -1;
}

/* Takes every completion available (wait: at least one); -1 on a failed or short write. */
static int reap(int wait) {
  struct io_uring_cqe *cqe;
  int rc = wait ? io_uring_wait_cqe(&ring, &cqe) : io_uring_peek_cqe(&ring, &cqe);
  while (rc == 0 && cqe) {
    uint64_t ud = io_uring_cqe_get_data64(cqe);
    int slot = (int)(ud >> 32);
    unsigned want = (unsigned)(ud & 0xffffffffu);
    int res = cqe->res;
    io_uring_cqe_seen(&ring, cqe);
    slot_inflight[slot]--;
    inflight--;
    if (res < 0) return fail("write to B's device: %s", strerror(-res));
    if ((unsigned)res != want) return fail("short write to B's device: %d of %u bytes", res, want);
    rc = io_uring_peek_cqe(&ring, &cqe);
  }
  if (rc < 0 && rc != -EAGAIN && rc != -EINTR) return fail("io_uring: %s", strerror(-rc));
  return 0;
}

/* Queues one O_DIRECT write of `len` bytes at `buf` (in `slot`) to `off`. */
static int queue_write(int slot, unsigned char *buf, uint64_t len, uint64_t off) {
  while (inflight >= MAX_INFLIGHT) {
    io_uring_submit(&ring);
    if (reap(1) < 0) return -1;
  }
  struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
  if (!sqe) {
    io_uring_submit(&ring);
    sqe = io_uring_get_sqe(&ring);
    if (!sqe) return fail("io_uring: no submission entry free");
  }
  io_uring_prep_write(sqe, fd_direct, buf, (unsigned)len, off);
  io_uring_sqe_set_data64(sqe, ((uint64_t)slot << 32) | (uint32_t)len);
  slot_inflight[slot]++;
  inflight++;
  return 0;
}

/* One write pending in the current slot, extended while the next piece is its neighbour. */
struct pending { int slot; unsigned char *buf; uint64_t len, off; int active; };

static int flush_pending(struct pending *p) {
  if (!p->active) return 0;
  p->active = 0;
  return queue_write(p->slot, p->buf, p->len, p->off);
}

/* Writes a finished piece: merged into the pending write when adjacent there and on B. */
static int put_piece(struct pending *p, int slot, unsigned char *buf, uint64_t len, uint64_t off) {
  if (off % ALIGN || len % ALIGN || (uintptr_t)buf % ALIGN) {
    /* Not O_DIRECT-able: through the page cache now (the pass's fdatasync covers it). */
    for (uint64_t k = 0; k < len;) {
      ssize_t w = pwrite(fd_buffered, buf + k, len - k, (off_t)(off + k));
      if (w < 0) {
        if (errno == EINTR) continue;
        return fail("write to B's device: %s", strerror(errno));
      }
      k += (uint64_t)w;
    }
    return 0;
  }
  if (p->active && p->slot == slot && p->buf + p->len == buf && p->off + p->len == off) {
    p->len += len;
    return 0;
  }
  if (flush_pending(p) < 0) return -1;
  *p = (struct pending){ slot, buf, len, off, 1 };
  return 0;
}

static int send_all(const unsigned char *b, size_t n) {
  while (n > 0) {
    ssize_t w = send(sock, b, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return fail("delta server connection: %s", strerror(errno));
    }
    b += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Asks A's delta server for `ex` and writes the answer into B's device (nothing if warm). */
static int fetch(const struct extent *ex, size_t n, int warm, uint64_t *bytes_out) {
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) total += ex[i].len;
  *bytes_out = 0;
  if (total == 0) return 0;
  size_t reqlen = 4 + 12 * n;
  unsigned char *req = malloc(reqlen);
  if (!req) return fail("out of memory for a request of %zu extents", n);
  req[0] = n >> 24, req[1] = n >> 16, req[2] = n >> 8, req[3] = n;
  for (size_t i = 0; i < n; i++) {
    unsigned char *e = req + 4 + 12 * i;
    for (int k = 0; k < 8; k++) e[k] = ex[i].off >> (56 - 8 * k);
    for (int k = 0; k < 4; k++) e[8 + k] = ex[i].len >> (24 - 8 * k);
  }
  int rc = send_all(req, reqlen);
  free(req);
  if (rc < 0) return -1;

  size_t i = 0;          /* extent owed next */
  uint64_t into = 0;     /* its bytes already placed */
  int slot = 0;
  uint64_t fill = 0;     /* bytes received into the current slot */
  uint64_t pos = 0;      /* start of the first byte of the current slot not yet assigned to a piece */
  uint64_t got = 0;
  struct pending p = { 0 };
  int faulted = warm || !fault;
  while (got < total) {
    size_t want = SLOT_BYTES - fill;
    if (want > total - got) want = total - got;
    ssize_t r = recv(sock, slot_buf[slot] + fill, want, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return fail("delta server connection: %s", strerror(errno));
    if (r == 0) return fail("delta server closed the connection");
    fill += (uint64_t)r;
    got += (uint64_t)r;
    /* Every piece whose last byte is now in this slot is written. */
    while (i < n) {
      uint64_t need = ex[i].len - into;
      if (need > SLOT_BYTES - pos) need = SLOT_BYTES - pos;
      if (pos + need > fill) break;
      if (!warm) {
        unsigned char *b = slot_buf[slot] + pos;
        int skip = 0;
        if (!faulted) {
          faulted = 1;
          if (strcmp(fault, "flip") == 0) b[0] ^= 0x5a;
          else if (strcmp(fault, "drop") == 0) skip = 1;
        }
        if (!skip && put_piece(&p, slot, b, need, ex[i].off + into) < 0) return -1;
      }
      pos += need;
      into += need;
      if (into == ex[i].len) i++, into = 0;
      if (pos == SLOT_BYTES) break;
    }
    if (fill == SLOT_BYTES || got == total) {
      if (flush_pending(&p) < 0) return -1;
      io_uring_submit(&ring);
      if (got < total) {
        slot = (slot + 1) % SLOTS;
        fill = pos = 0;
        /* The next slot's earlier writes must be done before it is refilled. */
        while (slot_inflight[slot] > 0) if (reap(1) < 0) return -1;
      }
    } else if (!warm) {
      if (flush_pending(&p) < 0) return -1;
      io_uring_submit(&ring);
    }
    if (reap(0) < 0) return -1;
  }
  if (i != n) return fail("delta stream ended at extent %zu of %zu", i, n);
  while (inflight > 0) if (reap(1) < 0) return -1;
  *bytes_out = total;
  return 0;
}

/* Parses {"extents":[[o,l],...],"warm":bool} as JSON.stringify writes it; -1 if it is not one. */
static int parse_batch(char *line, struct extent **ex, size_t *n, size_t *cap, int *warm) {
  char *s = strstr(line, "\"extents\"");
  if (!s) return fail("not a round copier batch");
  s += 9;
  while (*s == ' ' || *s == ':') s++;
  if (*s++ != '[') return fail("not a round copier batch");
  *n = 0;
  while (*s == ' ') s++;
  if (*s == ']') s++;
  else for (;;) {
    uint64_t v[2];
    if (*s++ != '[') return fail("not a round copier batch");
    for (int k = 0; k < 2; k++) {
      char *end;
      errno = 0;
      if (*s < '0' || *s > '9') return fail("not a round copier batch");
      v[k] = strtoull(s, &end, 10);
      if (errno || end == s || v[k] > 9007199254740991ull) return fail("not a round copier batch");
      s = end;
      if (*s++ != (k == 0 ? ',' : ']')) return fail("not a round copier batch");
    }
    if (v[1] == 0 || v[1] > 0xffffffffull) return fail("bad extent %llu+%llu", (unsigned long long)v[0], (unsigned long long)v[1]);
    if (*n == *cap) {
      size_t c = *cap ? *cap * 2 : 4096;
      struct extent *e = realloc(*ex, c * sizeof **ex);
      if (!e) return fail("out of memory for %zu extents", c);
      *ex = e, *cap = c;
    }
    (*ex)[(*n)++] = (struct extent){ v[0], v[1] };
    if (*n > MAX_EXTENTS) return fail("a delta request carries at most %u extents", MAX_EXTENTS);
    if (*s == ',') { s++; continue; }
    if (*s++ != ']') return fail("not a round copier batch");
    break;
  }
  char *w = strstr(s, "\"warm\"");
  *warm = 0;
  if (w) {
    w += 6;
    while (*w == ' ' || *w == ':') w++;
    if (strncmp(w, "true", 4) == 0) *warm = 1;
    else if (strncmp(w, "false", 5) != 0) return fail("not a round copier batch");
  }
  return 0;
}

static void reply_error(void) {
  fputs("{\"ok\":false,\"error\":\"", stdout);
  for (const char *c = errmsg; *c; c++) {
    if (*c == '"' || *c == '\\') putchar('\\');
    if ((unsigned char)*c >= 0x20) putchar(*c);
  }
  fputs("\"}\n", stdout);
  fflush(stdout);
}

static int connect_to(const char *host, const char *port) {
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res, *a;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc) return fail("delta server %s:%s: %s", host, port, gai_strerror(rc));
  int s = -1;
  for (a = res; a; a = a->ai_next) {
    s = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (s < 0) continue;
    if (connect(s, a->ai_addr, a->ai_addrlen) == 0) break;
    fail("delta server %s:%s: %s", host, port, strerror(errno));
    close(s);
    s = -1;
  }
  freeaddrinfo(res);
  if (s < 0) return -1;
  int one = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return s;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: migbench-round-copier HOST PORT DEVICE\n");
    return 2;
  }
  fault = getenv("MIGBENCH_COPIER_FAULT");
  if (fault && !*fault) fault = NULL;
  if ((sock = connect_to(argv[1], argv[2])) < 0) {
    fprintf(stderr, "round copier: %s\n", errmsg);
    return 3;
  }
  fd_buffered = open(argv[3], O_RDWR | O_CLOEXEC);
  fd_direct = open(argv[3], O_RDWR | O_DIRECT | O_CLOEXEC);
  if (fd_buffered < 0 || fd_direct < 0) {
    fprintf(stderr, "round copier: open %s: %s\n", argv[3], strerror(errno));
    return 3;
  }
  struct io_uring_params params = { .flags = IORING_SETUP_CQSIZE, .cq_entries = CQ_ENTRIES };
  int rc = io_uring_queue_init_params(RING_ENTRIES, &ring, &params);
  if (rc < 0) {
    fprintf(stderr, "round copier: io_uring_queue_init: %s\n", strerror(-rc));
    return 3;
  }
  for (int k = 0; k < SLOTS; k++) {
    if (posix_memalign((void **)&slot_buf[k], ALIGN, SLOT_BYTES)) {
      fprintf(stderr, "round copier: out of memory\n");
      return 3;
    }
  }
  char *line = NULL;
  size_t linecap = 0;
  struct extent *ex = NULL;
  size_t n = 0, cap = 0;
  while (getline(&line, &linecap, stdin) > 0) {
    if (line[0] == '\n') continue;
    double t0 = now_ms();
    int warm;
    uint64_t bytes = 0;
    if (broken) {
      reply_error();
      continue;
    }
    if (parse_batch(line, &ex, &n, &cap, &warm) < 0) {
      reply_error();
      continue;
    }
    if (fetch(ex, n, warm, &bytes) < 0) {
      /* The stream's position is lost (or the device failed mid-pass): close it, as the Node copier does. */
      while (inflight > 0 && reap(1) == 0) {}
      broken = 1;
      shutdown(sock, SHUT_RDWR);
      reply_error();
      continue;
    }
    double t1 = now_ms();
    if (!warm && fdatasync(fd_buffered) < 0) {
      fail("fdatasync of B's device: %s", strerror(errno));
      reply_error();
      continue;
    }
    double t2 = now_ms();
    printf("{\"ok\":true,\"bytes\":%llu,\"ms\":%.3f,\"copyMs\":%.3f,\"flushMs\":%.3f}\n", (unsigned long long)bytes, t2 - t0, t1 - t0, t2 - t1);
    fflush(stdout);
  }
  close(sock);
  io_uring_queue_exit(&ring);
  return 0;
}
