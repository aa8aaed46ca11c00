package rules

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"
)

// junitClassname is the classname of every test case.
const junitClassname = "strata.ci"

type junitSuite struct {
	XMLName  xml.Name    `xml:"testsuite"`
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// WriteJUnit writes the report as a JUnit XML <testsuite> named suiteName,
// with one <testcase> per rule (classname "strata.ci", named after the
// rule). A failed rule holds a <failure>, a skipped one a <skipped>.
// duration is the suite's time.
func (r Report) WriteJUnit(w io.Writer, suiteName string, duration time.Duration) error {
	_, failed, skipped := r.Counts()
	suite := junitSuite{
		Name:     suiteName,
		Tests:    len(r.Results),
		Failures: failed,
		Skipped:  skipped,
		Time:     strconv.FormatFloat(max(duration, 0).Seconds(), 'f', 3, 64),
	}
	for _, res := range r.Results {
		c := junitCase{Classname: junitClassname, Name: res.Name}
		detail := fmt.Sprintf("value: %s\nthreshold: %s", res.Value, res.Threshold)
		switch res.Status {
		case Fail:
			c.Failure = &junitFailure{Message: res.Message, Type: string(Fail), Text: detail}
		case Skip:
			c.Skipped = &junitSkipped{Message: res.Message}
		default:
			c.SystemOut = detail
		}
		suite.Cases = append(suite.Cases, c)
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("writing junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(suite); err != nil {
		return fmt.Errorf("writing junit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("writing junit report: %w", err)
	}
	return nil
}
