package termtext

import (
	"reflect"
	"sync"
)

// Inert returns v with every exported string in it, however deep (struct
// fields, slices, maps, pointers), made inert by Text. It copies only what
// changes and never writes into v: the engine shares some results between
// sessions (a job's live read), and a plain value comes back as it was.
// The TUI passes everything its backend returns through it, so no screen,
// present or future, can draw a stored escape sequence.
func Inert[T any](v T) T {
	rv := reflect.ValueOf(&v).Elem()
	if out, changed := inertValue(rv); changed {
		return out.Interface().(T)
	}
	return v
}

func inertValue(v reflect.Value) (reflect.Value, bool) {
	t := v.Type()
	if !holdsStrings(t) {
		return v, false
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		n := Text(s)
		if n == s {
			return v, false
		}
		out := reflect.New(t).Elem()
		out.SetString(n)
		return out, true
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return v, false
		}
		e, changed := inertValue(v.Elem())
		if !changed {
			return v, false
		}
		if v.Kind() == reflect.Pointer {
			p := reflect.New(t.Elem())
			p.Elem().Set(e)
			return p, true
		}
		out := reflect.New(t).Elem()
		out.Set(e)
		return out, true
	case reflect.Slice, reflect.Array:
		var out reflect.Value
		for i := 0; i < v.Len(); i++ {
			e, changed := inertValue(v.Index(i))
			if !changed {
				continue
			}
			if !out.IsValid() {
				if v.Kind() == reflect.Slice {
					out = reflect.MakeSlice(t, v.Len(), v.Len())
					reflect.Copy(out, v)
				} else {
					out = reflect.New(t).Elem()
					out.Set(v)
				}
			}
			out.Index(i).Set(e)
		}
		return out, out.IsValid()
	case reflect.Map:
		changed := false
		out := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			k, kc := inertValue(it.Key())
			e, ec := inertValue(it.Value())
			changed = changed || kc || ec
			out.SetMapIndex(k, e)
		}
		if !changed {
			return v, false
		}
		return out, true
	case reflect.Struct:
		var out reflect.Value
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			e, changed := inertValue(v.Field(i))
			if !changed {
				continue
			}
			if !out.IsValid() {
				out = reflect.New(t).Elem()
				out.Set(v)
			}
			out.Field(i).Set(e)
		}
		return out, out.IsValid()
	}
	return v, false
}

var stringTypes sync.Map // reflect.Type → bool

// holdsStrings says whether a value of t can hold a string Inert would
// change, so a slice of 60,000 metric points is skipped at once.
func holdsStrings(t reflect.Type) bool {
	if known, ok := stringTypes.Load(t); ok {
		return known.(bool)
	}
	return holdsStringsIn(t, map[reflect.Type]bool{})
}

func holdsStringsIn(t reflect.Type, seen map[reflect.Type]bool) bool {
	if known, ok := stringTypes.Load(t); ok {
		return known.(bool)
	}
	if seen[t] {
		return true // a recursive type: look inside at run time
	}
	seen[t] = true
	var holds bool
	switch t.Kind() {
	case reflect.String, reflect.Interface:
		holds = true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		holds = holdsStringsIn(t.Elem(), seen)
	case reflect.Map:
		holds = holdsStringsIn(t.Key(), seen) || holdsStringsIn(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField() && !holds; i++ {
			holds = t.Field(i).IsExported() && holdsStringsIn(t.Field(i).Type, seen)
		}
	}
	stringTypes.Store(t, holds)
	return holds
}
