package config

import "time"

// DefaultTimezone is the zone of a site.toml that names none.
const DefaultTimezone = "Asia/Shanghai"

// Zone returns the site's time zone: what every date of the board means
// and what "today" is reckoned in. A Site from Parse always has one; a
// Site made in code without a Location gets the default zone, so no part
// of the program falls back to the machine's own zone or to UTC.
func (s *Site) Zone() *time.Location {
	if s != nil && s.Location != nil {
		return s.Location
	}
	return DefaultZone()
}

// DefaultZone returns the zone of DefaultTimezone, or China Standard Time
// as a fixed offset on a machine without a time-zone database (a bare
// Windows install).
func DefaultZone() *time.Location {
	if loc, err := time.LoadLocation(DefaultTimezone); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}
