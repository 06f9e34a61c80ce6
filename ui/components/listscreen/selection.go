package listscreen

import "slices"

// Selection is a set of rows by key, kept across pages and queries, in the
// order they were selected (an order a screen may keep, as a new training
// file keeps its conversations').
type Selection[K comparable] struct {
	order []K
	set   map[K]struct{}
	// Version is bumped by every change, so a table knows to redraw.
	Version int
}

// NewSelection is an empty selection.
func NewSelection[K comparable]() Selection[K] { return Selection[K]{set: map[K]struct{}{}} }

// Has reports whether k is selected.
func (s *Selection[K]) Has(k K) bool { _, ok := s.set[k]; return ok }

// Len is how many are selected.
func (s *Selection[K]) Len() int { return len(s.order) }

// Keys are the selected keys in the order selected (a copy).
func (s *Selection[K]) Keys() []K { return slices.Clone(s.order) }

// Toggle selects k, or drops it when it was selected.
func (s *Selection[K]) Toggle(k K) {
	s.Version++
	if s.Has(k) {
		delete(s.set, k)
		s.order = slices.DeleteFunc(s.order, func(x K) bool { return x == k })
		return
	}
	s.set[k] = struct{}{}
	s.order = append(s.order, k)
}

// Add selects the keys not selected yet and returns how many were new.
func (s *Selection[K]) Add(keys []K) int {
	n := 0
	s.Version++
	for _, k := range keys {
		if !s.Has(k) {
			s.set[k] = struct{}{}
			s.order = append(s.order, k)
			n++
		}
	}
	return n
}

// Clear drops every key.
func (s *Selection[K]) Clear() {
	s.Version++
	clear(s.set)
	s.order = nil
}
