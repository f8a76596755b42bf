package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"retkoop/app/ledger"
	"retkoop/app/store"
)

// targetFlags are the flags of the commands that read or write one
// exercice of a coop (--uai) or of an AD (--ad), optionally in one of
// several formats (the first is the default). They are all required but
// the format, and may come before or after the file arguments.
type targetFlags struct {
	fs             *flag.FlagSet
	whoFlag, whoIs string // "uai", "UAI" or "ad", "CODE"
	who, exercice  *string
	format         *string
	formats        []string
}

func newTargetFlags(fs *flag.FlagSet, whoFlag, whoIs, whoHelp, exHelp string, formats ...string) *targetFlags {
	t := &targetFlags{fs: fs, whoFlag: whoFlag, whoIs: whoIs, formats: formats}
	t.who = fs.String(whoFlag, "", whoHelp)
	t.exercice = fs.String("exercice", "", exHelp)
	if len(formats) > 0 {
		t.format = fs.String("format", formats[0], strings.Join(formats, ", "))
	}
	return t
}

// parse reads args, which must hold exactly files file arguments, and
// returns them with the exercice; every problem is said in French.
func (t *targetFlags) parse(args []string, files int) ([]string, ledger.Exercice, error) {
	pos, err := parseInterleaved(t.fs, args)
	if err != nil {
		return nil, ledger.Exercice{}, err
	}
	if len(pos) != files || *t.who == "" || *t.exercice == "" {
		t.fs.Usage()
		file := ""
		if files > 0 {
			file = "un fichier, "
		}
		return nil, ledger.Exercice{}, fmt.Errorf("il faut %s--%s %s et --exercice AAAA-AAAA", file, t.whoFlag, t.whoIs)
	}
	if t.format != nil {
		if err := checkFormat(*t.format, t.formats...); err != nil {
			return nil, ledger.Exercice{}, err
		}
	}
	ex, err := ledger.ParseExercice(*t.exercice)
	if err != nil {
		return nil, ledger.Exercice{}, err
	}
	return pos, ex, nil
}

// checkFormat refuses a format the command does not write.
func checkFormat(format string, formats ...string) error {
	for _, f := range formats {
		if f == format {
			return nil
		}
	}
	if len(formats) == 1 {
		return fmt.Errorf("format « %s » inconnu : seul %s est disponible", format, formats[0])
	}
	return fmt.Errorf("format « %s » inconnu : %s ou %s", format, strings.Join(formats[:len(formats)-1], ", "), formats[len(formats)-1])
}

// openCoop opens the configuration and database and finds the coop of the
// UAI; the caller closes rt.db.
func openCoop(ctx context.Context, e *Env, uai string) (*runtime, *store.CoopScope, *store.Coop, error) {
	rt, err := open(ctx, e)
	if err != nil {
		return nil, nil, nil, err
	}
	cs, co, err := bookCoopByUAI(ctx, rt.db, strings.TrimSpace(uai))
	if err != nil {
		rt.db.Close()
		return nil, nil, nil, err
	}
	return rt, cs, co, nil
}
