package uitest

import "brightrun/engine"

// Subscribe gives the fixture's event channel. It is nil unless a test set
// Events, so the shell's event wait never blocks a test that does not use it;
// tests that do push into Events as a change elsewhere would.
func (b *Backend) Subscribe() (<-chan engine.Event, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Events, func() {}
}
