package nb

import (
	"encoding/gob"
	"os"
	"sync"

	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// A Figure is what Show and Slider need of a figure (*pyplot.Figure has it):
// SVG draws it, Save writes dir/name.png and dir/name.svg and returns the SVG.
// It is an interface so that cells without a figure do not link the plotting
// packages.
type Figure interface {
	SVG() ([]byte, error)
	Save(dir, name string) (svg []byte, err error)
}

// Show saves fig in the working folder (the notebook's) as name.png and
// name.svg and displays it inline as SVG: the book's plt.savefig(name+'.png')
// and plt.show(). A failure ends the cell as Must does.
func Show(name string, fig Figure) {
	svg, err := fig.Save(".", name)
	if svg != nil {
		Display(map[string]string{"image/svg+xml": string(svg), "text/plain": name})
	}
	Check(err)
}

// DisplayHTML displays html in the cell's output.
func DisplayHTML(html string) { Display(map[string]string{"text/html": html}) }

// Display sends data (MIME type → content) to the notebook as one output.
// Outside GoNB it does nothing.
func Display(data map[string]string) {
	d := &protocol.DisplayData{Data: map[protocol.MIMEType]any{}}
	for mime, content := range data {
		d.Data[protocol.MIMEType(mime)] = content
	}
	pipe.Lock()
	defer pipe.Unlock()
	if pipe.enc == nil && pipe.err == nil {
		path := os.Getenv(protocol.GONB_PIPE_ENV)
		if path == "" {
			return
		}
		var f *os.File
		f, pipe.err = os.OpenFile(path, os.O_WRONLY, 0)
		if pipe.err == nil {
			pipe.enc = gob.NewEncoder(f)
		}
	}
	if pipe.err == nil {
		pipe.err = pipe.enc.Encode(d)
	}
	if pipe.err != nil {
		End("cannot show the output in the notebook: " + pipe.err.Error())
	}
}

// pipe is the named pipe to GoNB, opened on first use.
var pipe struct {
	sync.Mutex
	enc *gob.Encoder
	err error
}
