// Package format renders numbers, sizes, money, durations and times for
// people, one way across the TUI: the same count reads "2,413" on every
// screen, and a size reads as the engine's messages write it. It is pure:
// no styles, no I/O, only strings from values.
package format
