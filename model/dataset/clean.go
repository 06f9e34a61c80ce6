package dataset

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sync/atomic"
)

// Clean validates r like Validate and writes to w the lines a training run
// would take: the valid examples of the dataset's shape, each trimmed of
// its \r and ended by '\n', in order. Every other line is left out: the
// errors (the report lists and counts them, by their line in r) and the
// blank lines. It streams: memory is the validator's chunks, whatever the
// size of r. The error is a read error of r or a write error of w.
func (v *Validator) Clean(r io.Reader, w io.Writer, name string) (Report, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	var werr error
	var failed atomic.Bool // stops the reading once a write failed
	rep, err := v.validate(stoppable{r, &failed}, name, func(ch *chunk, shape shapeID) {
		if werr == nil {
			if werr = keepValid(bw, ch, shape); werr != nil {
				failed.Store(true)
			}
		}
	})
	if werr == nil && err == nil {
		werr = bw.Flush()
	}
	switch {
	case werr != nil:
		return Report{}, werr
	case err != nil:
		return Report{}, err
	}
	return rep, nil
}

// stoppable reads r until stop is set.
type stoppable struct {
	r    io.Reader
	stop *atomic.Bool
}

func (s stoppable) Read(p []byte) (int, error) {
	if s.stop.Load() {
		return 0, errors.New("stopped: the cleaned copy could not be written")
	}
	return s.r.Read(p)
}

// keepValid writes the chunk's valid lines of the dataset's shape.
func keepValid(w *bufio.Writer, ch *chunk, shape shapeID) error {
	valid := ch.res.valid
	data, n := ch.data, 0
	for len(valid) > 0 && len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		n++
		if valid[0].line != n {
			continue
		}
		keep := valid[0].shape == shape
		valid = valid[1:]
		if !keep {
			continue
		}
		if _, err := w.Write(trimLine(line)); err != nil {
			return err
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}
