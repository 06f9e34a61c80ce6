package worker

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"brightrun/store/local"
)

// trainerProcess is a running trainer command in a process group of its
// own, so stopping it stops whatever it started (a Python trainer's data
// loader workers) too.
type trainerProcess struct {
	cmd        *exec.Cmd
	stdout     io.Reader
	stderr     *stderrTail
	stderrDone chan struct{}
	started    time.Time
	stopOnce   sync.Once
	exited     chan struct{}
	// pipesClosed is closed once stdout and stderr are read to their end;
	// groupDone once nothing more will be sent to the process group, so
	// the leader is reaped (and its pid, the group's id, freed) only then.
	pipesClosed chan struct{}
	groupDone   chan struct{}
}

// trainerKillAfter is how long a stopped trainer gets to exit on SIGTERM
// before SIGKILL. A cancelled job must end within 3 seconds of the request
// even for a trainer that ignores SIGTERM and a worker that hears of the
// cancel only at its next flush (execFlushEvery, when River's notification
// is lost): 1 s + 1.5 s, and the rest for the request and the end's write.
const trainerKillAfter = 1500 * time.Millisecond

// startTrainerProcess starts cmd with its stdout piped to the caller and its
// stderr kept as a tail of lines and handed, line by line, to onStderr.
func startTrainerProcess(cmd *exec.Cmd, onStderr func(line string)) (*trainerProcess, error) {
	setTrainerProcAttrs(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	// From the dedicated starting thread: the kernel's parent-death signal
	// follows the forking thread, and a trainer must not be killed because
	// some thread of this process ended.
	if err := local.StartChild(cmd, syscall.SIGKILL); err != nil {
		return nil, err
	}
	p := &trainerProcess{cmd: cmd, stdout: stdout, stderr: &stderrTail{max: stderrTailLines}, stderrDone: make(chan struct{}),
		started: time.Now(), exited: make(chan struct{}), pipesClosed: make(chan struct{}), groupDone: make(chan struct{})}
	go p.endGroupWithLeader()
	go func() {
		defer close(p.stderrDone)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			p.stderr.add(sc.Text())
			if onStderr != nil {
				onStderr(sc.Text())
			}
		}
		if sc.Err() != nil && onStderr != nil {
			onStderr(fmt.Sprintf("[brightrun] a stderr line longer than 1 MiB; the rest of stderr is not kept (%v)", sc.Err()))
		}
		_, _ = io.Copy(io.Discard, stderr) // a line too long for the scanner
	}()
	return p, nil
}

// stop asks the trainer's process group to end (SIGTERM), and kills it
// (SIGKILL) if it has not within trainerKillAfter.
func (p *trainerProcess) stop() {
	p.stopOnce.Do(func() {
		pgid := -p.cmd.Process.Pid
		_ = syscall.Kill(pgid, syscall.SIGTERM)
		go func() {
			select {
			case <-p.exited:
			case <-time.After(trainerKillAfter):
				_ = syscall.Kill(pgid, syscall.SIGKILL)
			}
		}()
	})
}

// endGroupWithLeader ends what the trainer started when the trainer itself
// has ended: a trainer killed by the OOM killer, or a shell wrapper killed
// while its command runs, leaves children (data loader workers, the
// command) that hold its stdout open, and the job would wait on them long
// after its trainer died. They get SIGTERM, then SIGKILL after
// trainerKillAfter, until the pipes close.
func (p *trainerProcess) endGroupWithLeader() {
	defer close(p.groupDone)
	if !waitExitedNoReap(p.cmd.Process.Pid) {
		<-p.pipesClosed // no way to watch here: the pipes end the run
		return
	}
	select {
	case <-p.pipesClosed:
		return
	default:
	}
	pgid := -p.cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-p.pipesClosed:
	case <-time.After(trainerKillAfter):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-p.pipesClosed
	}
}

// wait waits for the process once its stdout has been read to the end (the
// caller's part) and its stderr too.
func (p *trainerProcess) wait() error {
	<-p.stderrDone
	close(p.pipesClosed)
	<-p.groupDone
	err := p.cmd.Wait()
	select {
	case <-p.exited:
	default:
		close(p.exited)
	}
	return err
}

// stderrTailLines is how many of the last stderr lines a failure quotes.
const stderrTailLines = 20

// stderrTail keeps the last lines of a trainer's stderr.
type stderrTail struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (t *stderrTail) add(line string) {
	const maxLine = 400
	if len(line) > maxLine {
		line = line[:maxLine] + "…"
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
}

// tail renders the kept lines for a failure message ("" when none).
func (t *stderrTail) tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return ""
	}
	return fmt.Sprintf("\nlast lines of stderr:\n  %s", strings.Join(t.lines, "\n  "))
}
