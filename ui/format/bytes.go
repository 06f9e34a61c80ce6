package format

import (
	"strconv"

	"brightrun/model"
)

// Bytes renders a size in binary units with one decimal ("612 B",
// "12.3 MiB"), the words the engine's messages use, so the limit an error
// names and the size a table shows read alike.
func Bytes(n int64) string {
	return model.HumanBytes(n)
}

// DecimalBytes renders a size in decimal units, the way ls -h does ("612 B",
// "1.5 kB", "12.3 MB"), as file managers show an exported file.
func DecimalBytes(n int64) string {
	if n < 1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, unit := float64(n)/1000, "kB"
	for _, u := range []string{"MB", "GB", "TB"} {
		if v < 1000 {
			break
		}
		v, unit = v/1000, u
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + unit
}
