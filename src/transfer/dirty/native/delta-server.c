/*
 * migbench-delta-server: A's delta server in C (issue 15, item 2). Same role and wire format
 * as the Node server (src/transfer/dirty/delta-server-main.ts, delta-wire.ts): B asks for a
 * list of extents in one request (u32 BE count, then u64 BE offset + u32 BE length each) and
 * gets their bytes back to back, nothing else. Prints {"listening":true} once it accepts
 * connections; ends on EOF on stdin. One thread per connection.
 *
 * Reads: a loop device with dio 0, no offset and no size limit is read through its backing
 * file (loop-backing.ts says why that is the device's content), with plain preads into a
 * 1 MiB buffer; anything else (dm-era, dio 1) with O_DIRECT reads of the device, extents
 * less than 64 KiB apart merged into one read (delta-groups.ts), buffered where O_DIRECT
 * refuses. MIGBENCH_DELTA_READ=device forces the device reads. Each buffer's extents go out
 * with one sendmsg of an iovec per extent (no copy in between).
 *
 * Usage: migbench-delta-server ADDRESS PORT DEVICE LATENCY_MS. Exit 3 when it cannot start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define BUF_BYTES (1u << 20)
#define GAP_BYTES (64u * 1024)
#define MAX_EXTENTS (1u << 26)
#define IOVS 512

static int fd_read = -1;      /* backing file, or the device with O_DIRECT */
static int fd_buffered = -1;  /* the device through the page cache (O_DIRECT refused) */
static int via_backing;
static double latency_ms;
static const char *device;

/* The loop device's backing file when it holds exactly the device's bytes, else NULL. */
static char *loop_backing(const char *dev) {
  struct stat st;
  if (stat(dev, &st) < 0 || !S_ISBLK(st.st_mode)) return NULL;
  char sys[128], file[PATH_MAX + 16], val[32];
  const char *names[] = { "dio", "offset", "sizelimit" };
  for (int k = 0; k < 3; k++) {
    snprintf(sys, sizeof sys, "/sys/dev/block/%u:%u/loop/%s", major(st.st_rdev), minor(st.st_rdev), names[k]);
    FILE *f = fopen(sys, "r");
    if (!f) return NULL;
    int ok = fgets(val, sizeof val, f) != NULL && strcmp(val, "0\n") == 0;
    fclose(f);
    if (!ok) return NULL;
  }
  snprintf(sys, sizeof sys, "/sys/dev/block/%u:%u/loop/backing_file", major(st.st_rdev), minor(st.st_rdev));
  FILE *f = fopen(sys, "r");
  if (!f) return NULL;
  char *got = fgets(file, sizeof file, f);
  fclose(f);
  if (!got) return NULL;
  file[strcspn(file, "\n")] = 0;
  size_t n = strlen(file);
  if (n == 0 || (n >= 9 && strcmp(file + n - 9, "(deleted)") == 0)) return NULL;
  return strdup(file);
}

static int read_full(int fd, unsigned char *buf, size_t n, uint64_t pos) {
  while (n > 0) {
    ssize_t r = pread(fd, buf, n, (off_t)pos);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EINVAL && fd == fd_read && !via_backing) return read_full(fd_buffered, buf, n, pos);
    if (r < 0) return fprintf(stderr, "delta server: read %s at %llu: %s\n", device, (unsigned long long)pos, strerror(errno)), -1;
    if (r == 0) return fprintf(stderr, "delta server: %s ends before %llu\n", device, (unsigned long long)pos), -1;
    buf += r, n -= (size_t)r, pos += (uint64_t)r;
  }
  return 0;
}

static int recv_full(int s, void *b, size_t n) {
  unsigned char *p = b;
  while (n > 0) {
    ssize_t r = recv(s, p, n, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r, n -= (size_t)r;
  }
  return 0;
}

static int send_iov(int s, struct iovec *iov, int cnt) {
  while (cnt > 0) {
    struct msghdr m = { .msg_iov = iov, .msg_iovlen = (size_t)cnt };
    ssize_t w = sendmsg(s, &m, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    while (cnt > 0 && (size_t)w >= iov->iov_len) w -= (ssize_t)iov->iov_len, iov++, cnt--;
    if (cnt > 0) iov->iov_base = (char *)iov->iov_base + w, iov->iov_len -= (size_t)w;
  }
  return 0;
}

struct span { uint64_t pos; uint32_t at, n; };

/* Streams the request's extents: fills the buffer with reads (merged across small gaps on the device path), then sends its parts. */
static int serve(int s, const unsigned char *req, uint32_t count, unsigned char *buf) {
  if (latency_ms > 0) {
    struct timespec t = { (time_t)(latency_ms / 1000), (long)((latency_ms - 1000 * (time_t)(latency_ms / 1000)) * 1e6) };
    nanosleep(&t, NULL);
  }
  uint64_t gap = via_backing ? 0 : GAP_BYTES;
  static __thread struct span spans[BUF_BYTES / 512];
  static __thread struct iovec iov[IOVS];
  int nspans = 0, niov = 0;
  uint32_t used = 0;
  for (uint32_t i = 0; i <= count; i++) {
    uint64_t off = 0, len = 0;
    if (i < count) {
      const unsigned char *e = req + 12 * (size_t)i;
      for (int k = 0; k < 8; k++) off = off << 8 | e[k];
      for (int k = 8; k < 12; k++) len = len << 8 | e[k];
      if (len == 0) return fprintf(stderr, "delta server: bad extent %llu+0\n", (unsigned long long)off), -1;
    }
    for (uint64_t done = 0; done < len || i == count;) {
      uint64_t pos = off + done;
      struct span *sp = nspans ? &spans[nspans - 1] : NULL;
      uint64_t end = sp ? sp->pos + sp->n : 0;
      uint64_t n = 0;
      int extend = 0;
      if (i < count && sp && pos >= end && pos - end <= gap) {
        uint64_t room = used + (pos - end) < BUF_BYTES ? BUF_BYTES - used - (pos - end) : 0;
        n = len - done < room ? len - done : room;
        extend = n > 0;
      }
      /* The buffer is full (or the request done): read its spans, send its parts. */
      if (i == count || (!extend && used >= BUF_BYTES) || niov == IOVS) {
        for (int k = 0; k < nspans; k++) if (read_full(fd_read, buf + spans[k].at, spans[k].n, spans[k].pos) < 0) return -1;
        if (send_iov(s, iov, niov) < 0) return -1;
        nspans = niov = 0;
        used = 0;
        if (i == count) break;
        continue;
      }
      if (extend) {
        used += (uint32_t)(pos - end + n);
        sp->n = (uint32_t)(pos + n - sp->pos);
        iov[niov++] = (struct iovec){ buf + sp->at + (pos - sp->pos), n };
      } else {
        n = len - done;
        if (n > BUF_BYTES - used) n = BUF_BYTES - used;
        spans[nspans++] = (struct span){ pos, used, (uint32_t)n };
        iov[niov++] = (struct iovec){ buf + used, n };
        used += (uint32_t)n;
      }
      done += n;
    }
  }
  return 0;
}

static void *connection(void *arg) {
  int s = (int)(intptr_t)arg;
  int one = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  unsigned char *buf = NULL, *req = NULL;
  size_t reqcap = 0;
  if (posix_memalign((void **)&buf, 4096, BUF_BYTES)) goto out;
  for (;;) {
    unsigned char h[4];
    if (recv_full(s, h, 4) < 0) break; /* a peer that hung up is the normal end */
    uint32_t count = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
    if (count > MAX_EXTENTS) {
      fprintf(stderr, "delta server: delta request of %u extents (at most %u)\n", count, MAX_EXTENTS);
      break;
    }
    if (12 * (size_t)count > reqcap) {
      free(req);
      reqcap = 12 * (size_t)count;
      if (!(req = malloc(reqcap))) break;
    }
    if (recv_full(s, req, 12 * (size_t)count) < 0) break;
    if (serve(s, req, count, buf) < 0) break; /* the close tells B */
  }
out:
  free(buf);
  free(req);
  close(s);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: migbench-delta-server ADDRESS PORT DEVICE LATENCY_MS\n");
    return 2;
  }
  device = argv[3];
  latency_ms = atof(argv[4]);
  const char *mode = getenv("MIGBENCH_DELTA_READ");
  char *backing = mode && strcmp(mode, "device") == 0 ? NULL : loop_backing(device);
  if (backing) {
    via_backing = 1;
    fd_read = open(backing, O_RDONLY | O_CLOEXEC);
  } else {
    fd_read = open(device, O_RDONLY | O_DIRECT | O_CLOEXEC);
    fd_buffered = open(device, O_RDONLY | O_CLOEXEC);
    /* A file system without O_DIRECT (tmpfs): every read through the page cache. */
    if (fd_read < 0 && errno == EINVAL) fd_read = fd_buffered;
  }
  if (fd_read < 0 || (!via_backing && fd_buffered < 0)) {
    fprintf(stderr, "delta server: open %s: %s\n", backing ? backing : device, strerror(errno));
    return 3;
  }
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICHOST }, *res;
  int rc = getaddrinfo(argv[1], argv[2], &hints, &res);
  if (rc) {
    fprintf(stderr, "delta server: %s:%s: %s\n", argv[1], argv[2], gai_strerror(rc));
    return 3;
  }
  int ls = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (ls < 0 || bind(ls, res->ai_addr, res->ai_addrlen) < 0 || listen(ls, 16) < 0) {
    fprintf(stderr, "delta server: listen %s:%s: %s\n", argv[1], argv[2], strerror(errno));
    return 3;
  }
  freeaddrinfo(res);
  printf("{\"listening\":true}\n");
  fflush(stdout);
  struct pollfd p[2] = { { .fd = ls, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
  char drain[256];
  for (;;) {
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return 3;
    }
    if (p[1].revents) {
      ssize_t r = read(0, drain, sizeof drain);
      if (r <= 0) return 0; /* EOF on stdin is the stop */
    }
    if (p[0].revents & POLLIN) {
      int s = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
      if (s < 0) continue;
      pthread_t t;
      if (pthread_create(&t, NULL, connection, (void *)(intptr_t)s) != 0) close(s);
      else pthread_detach(t);
    }
  }
}
