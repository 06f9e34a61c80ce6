package common

// Memo holds a line drawn from a few inputs, drawn again only when they
// change: a frame is laid out after every message, in every SSH session,
// and most of its lines move far less often. The key names the inputs;
// clear the memo when the theme changes.
type Memo struct{ key, out string }

// Get returns the line drawn for key, drawing it when key changed.
func (c *Memo) Get(key string, draw func() string) string {
	if c.key != key || c.out == "" {
		c.key, c.out = key, draw()
	}
	return c.out
}
