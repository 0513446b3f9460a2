package web

import (
	"bufio"
	"io"
	"runtime"
)

// streamBufSize is the buffer a streamed feature list writes through: a page of 100 plots
// (about 110 KiB) leaves in two writes rather than one per 4 KiB of net/http's own buffer.
const streamBufSize = 64 << 10

// streamBuffers keeps the 64 KiB buffers of streamed lists for reuse, up to a bound, like the
// gzip writers (compress.go): a fresh buffer per list was 6 % of the CPU of a page of 100
// served from the feature cache (BenchmarkPageRace, the allocation and the collections it
// brought on). A buffer is reset to nil before it is kept, so it holds no response.
type streamBuffers struct{ free chan *bufio.Writer }

func newStreamBuffers() *streamBuffers {
	return &streamBuffers{free: make(chan *bufio.Writer, 4*runtime.GOMAXPROCS(0)+8)}
}

// get returns a buffer writing to w.
func (b *streamBuffers) get(w io.Writer) *bufio.Writer {
	select {
	case bw := <-b.free:
		bw.Reset(w)
		return bw
	default:
		return bufio.NewWriterSize(w, streamBufSize)
	}
}

// put keeps bw for another list (or leaves it to the collector when enough are kept). The
// caller has flushed it, or given up on the response.
func (b *streamBuffers) put(bw *bufio.Writer) {
	bw.Reset(nil)
	select {
	case b.free <- bw:
	default:
	}
}
