package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"retkoop/app"
	"retkoop/app/auth"
	"retkoop/app/config"
	"retkoop/app/demo"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/service"
	"retkoop/app/store"
)

// Env is what a command needs from the outside world.
type Env struct {
	Args   []string
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time
}

type command struct {
	name, usage, summary string
	run                  func(ctx context.Context, e *Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--demo] [--web-only]", "migre la base puis sert l'application web", cmdServe},
		{"demo", "demo [--coops N] [--operations M] [--exercices K] [--seed S]", "crée les données de démonstration (AD « OCCE 31 »)", cmdDemo},
		{"coops import", "coops import FICHIER --ad CODE [--exercice AAAA-AAAA]", "crée ou met à jour les coopératives d'une AD depuis un CSV", cmdCoopsImport},
		{"user password", "user password UAI|EMAIL", "émet un nouveau mot de passe aléatoire (changement forcé)", cmdUserPassword},
		{"backup", "backup FICHIER", "sauvegarde cohérente de la base et manifeste des documents", cmdBackup},
		// — book commands —
		{"ledger import", "ledger import FICHIER --uai UAI --exercice AAAA-AAAA", "importe un cahier de comptabilité (CSV) dans un exercice, tout ou rien", cmdLedgerImport},
		// — bank commands —
		{"bank import", bankImportUsage, "importe des relevés bancaires (OFX, CSV) et pointe le cahier ; --ad : relevés de plusieurs coopératives", cmdBankImport},
		{"report rapprochement", reportRapprochementUsage, "état de rapprochement du compte courant d'une coopérative à une date (JSON)", cmdReportRapprochement},
		// — closing/report commands —
		{"report crf", reportCRFUsage, "compte-rendu financier d'une coopérative (JSON, PDF, XLSX ou CSV) sur la sortie standard", cmdReportCRF},
		// — staff commands —
		{"report ad", reportADUsage, "comptes consolidés d'une AD (CRF validés ou verrouillés) en JSON, XLSX ou CSV sur la sortie standard", cmdReportAD},
		// — dossier commands —
		{"dossier show", dossierShowUsage, "affiche la liste des éléments du dossier annuel d'une coopérative (JSON)", cmdDossierShow},
		// — mail-in commands —
		{"mailin", mailinUsage, "relève les boîtes aux lettres configurées et classe les documents reçus (--once : un passage)", cmdMailin},
		// — reminder commands —
		{"remind", remindUsage, "met en file les relances dues et envoie la file d'envoi par SMTP (--once : un passage)", cmdRemind},
	}
}

// Run executes the command line and returns the process exit code.
func Run(e *Env) int {
	if e.Now == nil {
		e.Now = time.Now
	}
	args := e.Args
	if len(args) == 0 || isHelp(args[0]) {
		usage(e.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) < len(words) || strings.Join(args[:len(words)], " ") != c.name {
			continue
		}
		rest := args[len(words):]
		if len(rest) > 0 && isHelp(rest[0]) {
			fmt.Fprintf(e.Stdout, "usage : retkoop %s\n\n%s\n", c.usage, c.summary)
			return 0
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := c.run(ctx, e, rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintf(e.Stderr, "retkoop %s : %v\n", c.name, err)
			return 1
		}
		return 0
	}
	// A family word alone or with --help ("retkoop report --help") lists
	// the commands of that family.
	if group := familyUsage(args[0]); group != "" && (len(args) == 1 || isHelp(args[1])) {
		fmt.Fprint(e.Stdout, group)
		if len(args) == 1 {
			return 2
		}
		return 0
	}
	fmt.Fprintf(e.Stderr, "retkoop : commande inconnue « %s »\n\n", strings.Join(args, " "))
	usage(e.Stderr)
	return 2
}

// familyUsage lists the commands whose name starts with word ("coops",
// "report", …), or returns "" when there are none of several words.
func familyUsage(word string) string {
	var b strings.Builder
	for _, c := range commands() {
		if words := strings.Fields(c.name); len(words) > 1 && words[0] == word {
			fmt.Fprintf(&b, "  retkoop %s\n      %s\n", c.usage, c.summary)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "usage :\n" + b.String()
}

func isHelp(s string) bool { return s == "--help" || s == "-h" || s == "help" || s == "-help" }

func usage(w io.Writer) {
	fmt.Fprintln(w, "retkoop — comptabilité et comptes-rendus des coopératives scolaires OCCE")
	fmt.Fprintln(w, "\nusage : retkoop COMMANDE [options]   (retkoop COMMANDE --help pour le détail)")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.usage, c.summary)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nConfiguration par variables d'environnement : RETKOOP_DATABASE, RETKOOP_DATA_DIR, RETKOOP_ADDR,")
	fmt.Fprintln(w, "RETKOOP_BASE_URL, RETKOOP_SECRET, RETKOOP_SMTP_URL, RETKOOP_MAIL_FROM, RETKOOP_IMAP_URL,")
	fmt.Fprintln(w, "RETKOOP_IMAP_INTERVAL, RETKOOP_MAX_ATTACHMENT (voir README.md).")
}

// newFlags builds a flag set whose errors are French and go to stderr.
func newFlags(e *Env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "usage : retkoop %s\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterleaved parses flags that may come after positional arguments
// ("coops import FILE --ad 31").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// runtime is an open configuration and database for one command.
type runtime struct {
	cfg *config.Config
	db  *store.DB
	log *slog.Logger
	svc *service.Service // the shared operations, on the command's clock
}

// open loads the configuration and opens the migrated database. Logs are
// JSON lines on stderr, except for serve (stdout, where a process manager
// collects them); commands whose stdout is their result keep it clean.
func open(ctx context.Context, e *Env) (*runtime, error) {
	return openLogging(ctx, e, e.Stderr)
}

// openSigning is open for the commands that sign or check reply tokens
// (mail-in, reminders): the secret must exist before they run.
func openSigning(ctx context.Context, e *Env) (*runtime, error) {
	rt, err := open(ctx, e)
	if err != nil {
		return nil, err
	}
	if err := rt.cfg.EnsureSecret(); err != nil {
		rt.db.Close()
		return nil, err
	}
	return rt, nil
}

func openLogging(ctx context.Context, e *Env, logw io.Writer) (*runtime, error) {
	cfg, err := config.LoadConfig(e.Getenv)
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewJSONHandler(logw, &slog.HandlerOptions{Level: slog.LevelInfo}))
	db, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	svc := service.New(cfg, db, log)
	svc.Now = e.Now
	return &runtime{cfg: cfg, db: db, log: log, svc: svc}, nil
}

func currentExercice(e *Env) string { return ledger.ExerciceFor(e.Now()).String() }

func cmdServe(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "serve", "serve [--demo] [--web-only]")
	withDemo := fs.Bool("demo", false, "crée d'abord les données de démonstration et affiche les identifiants")
	webOnly := fs.Bool("web-only", false, "ne lance ni la relève du courrier ni les relances (processus séparés)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rt, err := openLogging(ctx, e, e.Stdout)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	if err := rt.cfg.EnsureSecret(); err != nil {
		return err
	}
	if *withDemo {
		logins, err := demo.Seed(ctx, rt.db, demo.Options{Docs: rt.svc.Docs()}, auth.DefaultParams, demoExercice(e))
		if err != nil {
			return err
		}
		printLogins(e.Stdout, rt.cfg, logins)
	}
	a, err := app.New(rt.cfg, rt.db, rt.log)
	if err != nil {
		return err
	}
	var workers []func(context.Context)
	if !*webOnly {
		workers = a.BackgroundWorkers()
	}
	return a.Serve(ctx, workers...)
}

// demoExercice is the exercice the demo data describes: the last one whose
// campaign has started (the one being closed in September), so that the
// demo shows a book to close and a submission to send.
func demoExercice(e *Env) string {
	return ledger.ExerciceFor(e.Now()).Prev().String()
}

func printLogins(w io.Writer, cfg *config.Config, logins []demo.Login) {
	fmt.Fprintf(w, "Données de démonstration prêtes. Ouvrez %s et connectez-vous avec :\n", cfg.BrowseURL())
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  rôle\tidentifiant\tmot de passe\tnom")
	for _, l := range logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Role, l.Login, l.Password, l.Name)
	}
	tw.Flush()
	fmt.Fprintln(w, "Chaque mot de passe devra être changé à la première connexion.")
}

func cmdDemo(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "demo", "demo [--coops N] [--operations M] [--exercices K] [--seed S]")
	o := demo.Options{}
	fs.IntVar(&o.Coops, "coops", 0, "nombre de coopératives (défaut : 8 écoles de démonstration)")
	fs.IntVar(&o.Operations, "operations", 0, "opérations par coopérative et par exercice")
	fs.IntVar(&o.Exercices, "exercices", 1, "nombre d'exercices")
	fs.Uint64Var(&o.Seed, "seed", 31, "graine du générateur (données déterministes)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Coops < 0 || o.Operations < 0 || o.Exercices < 1 {
		return fmt.Errorf("--coops et --operations doivent être positifs, --exercices au moins 1")
	}
	rt, err := open(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	o.Docs = rt.svc.Docs()
	start := time.Now()
	logins, err := demo.Seed(ctx, rt.db, o, auth.DefaultParams, demoExercice(e))
	if err != nil {
		return err
	}
	printLogins(e.Stdout, rt.cfg, logins)
	fmt.Fprintf(e.Stdout, "Généré en %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// adCodeRE matches a French department code: 01–95, 2A, 2B, 971–976.
var adCodeRE = regexp.MustCompile(`^(0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])$`)

func cmdCoopsImport(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "coops import", "coops import FICHIER --ad CODE [--exercice AAAA-AAAA]")
	adCode := fs.String("ad", "", "code de l'AD (ex. 31)")
	exName := fs.String("exercice", "", "exercice dont les soldes du fichier sont l'ouverture (défaut : l'exercice en cours)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *adCode == "" {
		fs.Usage()
		return fmt.Errorf("il faut un fichier et --ad CODE")
	}
	ex := currentExercice(e)
	if *exName != "" {
		p, err := ledger.ParseExercice(*exName)
		if err != nil {
			return err
		}
		ex = p.String()
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("ouverture de %s : %w", pos[0], err)
	}
	defer f.Close()
	rows, err := service.ParseCoopsCSV(f)
	if err != nil {
		return fmt.Errorf("%s : aucune coopérative n'a été enregistrée.\n%w", filepath.Base(pos[0]), err)
	}
	rt, err := open(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	ad, err := rt.db.System().ADByCode(ctx, *adCode)
	if errors.Is(err, fault.ErrNotFound) {
		// Loading an AD's coops is how a new deployment starts: the AD is
		// created, under its department code only, so a typo cannot create
		// a stray one.
		if !adCodeRE.MatchString(*adCode) {
			return fmt.Errorf("AD « %s » inconnue (un code d'AD est le numéro du département : 31, 2A, 971)", *adCode)
		}
		if ad, err = rt.db.System().EnsureAD(ctx, *adCode, "OCCE "+*adCode); err == nil {
			fmt.Fprintf(e.Stdout, "AD « %s » créée (OCCE %s).\n", *adCode, *adCode)
		}
	}
	if err != nil {
		return err
	}
	if err := rt.db.System().SeedChart(ctx, ad.ID, service.SeedChart()); err != nil {
		return err
	}
	scope, err := rt.db.ForAD(ctx, ad.ID, nil)
	if err != nil {
		return err
	}
	res, err := scope.ImportCoops(ctx, rows, ex)
	if err != nil {
		return fmt.Errorf("aucune coopérative n'a été enregistrée : %w", err)
	}
	fmt.Fprintf(e.Stdout, "%s (exercice %s).\n", service.DescribeImport(res), ex)
	return nil
}

func cmdUserPassword(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "user password", "user password UAI|EMAIL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("il faut un identifiant (UAI ou e-mail)")
	}
	rt, err := open(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	login := auth.NormalizeLogin(fs.Arg(0))
	u, err := rt.db.System().UserByLogin(ctx, login)
	if err != nil {
		if errors.Is(err, fault.ErrNotFound) {
			return fmt.Errorf("aucun compte pour l'identifiant « %s »", login)
		}
		return err
	}
	pw, hash, err := auth.Issue(auth.DefaultParams)
	if err != nil {
		return err
	}
	if err := rt.db.Auth().SetPassword(ctx, u.ID, hash, true, nil); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Nouveau mot de passe pour %s : %s\n(à changer à la première connexion ; les sessions ouvertes sont fermées)\n", u.Login, pw)
	return nil
}

func cmdBackup(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "backup", "backup FICHIER")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("il faut le nom du fichier de sauvegarde")
	}
	rt, err := open(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	file := fs.Arg(0)
	if err := rt.db.System().Backup(ctx, file, rt.cfg.Database); err != nil {
		return err
	}
	n, err := service.WriteManifest(file+".manifest.json", rt.cfg.DataDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Sauvegarde écrite dans %s ; manifeste de %d document(s) dans %s.manifest.json\n", file, n, file)
	return nil
}
