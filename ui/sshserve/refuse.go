package sshserve

import (
	"log/slog"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// What a client may ask for beyond a session with a terminal, and how each
// is refused. The operator's machine is never reached back into and nothing
// is tunnelled: charm.land/ssh would answer "yes" to agent forwarding
// (auth-agent-req@openssh.com; no agent channel is opened until a handler
// asks, but the client is told it is on), and refuses the rest without a
// word in our log. Here each is answered "no" and logged.

// refusedSessionRequests are the session requests refused before
// charm.land/ssh sees them. exec and subsystem reach the session handler,
// which refuses them with a line to the client; env stays accepted, as it
// carries NO_COLOR, and is never passed to a process.
var refusedSessionRequests = map[string]string{
	"auth-agent-req@openssh.com": "agent forwarding",
	"x11-req":                    "X11 forwarding",
}

// refusedGlobalRequests name the connection-wide requests logged at Info
// when refused; every other one (keepalive@openssh.com every few seconds
// from clients that ask for it) is refused at Debug.
var refusedGlobalRequests = map[string]string{
	"tcpip-forward":                          "remote port forwarding",
	"cancel-tcpip-forward":                   "remote port forwarding",
	"streamlocal-forward@openssh.com":        "remote socket forwarding",
	"cancel-streamlocal-forward@openssh.com": "remote socket forwarding",
}

// withRefusals makes every channel but "session" and every global request
// be refused, and filters the session requests of refusedSessionRequests.
func (s *Server) withRefusals(srv *ssh.Server) {
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{
		"session": func(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
			ssh.DefaultSessionHandler(srv, conn, filteredSession{NewChannel: ch, s: s, ctx: ctx}, ctx)
		},
		"default": s.refuseChannel,
	}
	srv.RequestHandlers = map[string]ssh.RequestHandler{"default": s.refuseGlobalRequest}
}

// connLog is the log with who is connected, as far as authentication says.
func (s *Server) connLog(ctx ssh.Context) *slog.Logger {
	var user, key string
	if p := ctx.Permissions(); p != nil && p.Permissions != nil {
		user, key = p.Extensions[extUserName], p.Extensions[extFingerprint]
	}
	return s.log.With("user", user, "key", key, "remote", addrString(ctx.RemoteAddr()))
}

// refuseChannel rejects a channel other than a session: direct-tcpip (ssh
// -L, -D), direct-streamlocal@openssh.com, x11, auth-agent@openssh.com.
func (s *Server) refuseChannel(_ *ssh.Server, _ *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	s.connLog(ctx).Info("ssh channel refused", "type", ch.ChannelType())
	_ = ch.Reject(gossh.Prohibited, "this server runs the interactive TUI only; no forwarding or tunnels")
}

// refuseGlobalRequest answers every connection-wide request "no".
func (s *Server) refuseGlobalRequest(ctx ssh.Context, _ *ssh.Server, req *gossh.Request) (bool, []byte) {
	if what, ok := refusedGlobalRequests[req.Type]; ok {
		s.connLog(ctx).Info("ssh request refused: "+what, "type", req.Type)
	} else {
		s.connLog(ctx).Debug("ssh request refused", "type", req.Type)
	}
	return false, nil
}

// filteredSession is a session channel whose requests pass through
// refusedSessionRequests before charm.land/ssh handles the rest.
type filteredSession struct {
	gossh.NewChannel
	s   *Server
	ctx ssh.Context
}

func (f filteredSession) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return nil, nil, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for req := range reqs {
			if what, refused := refusedSessionRequests[req.Type]; refused {
				f.s.connLog(f.ctx).Info("ssh request refused: "+what, "type", req.Type)
				_ = req.Reply(false, nil) // a no-op when no reply is wanted
				continue
			}
			out <- req
		}
	}()
	return ch, out, nil
}
