// Command reviewgraph-embedded runs, in one process, the embedded defaults of
// reviewgraph's database and bus: FerretDB (as a library, SQLite storage, or
// PostgreSQL when FERRETDB_POSTGRESQL_URL is set) and a NATS server with
// JetStream (file store, sync-always), both on loopback.
//
// When both are ready it prints, on stdout:
//
//	MONGODB_URI=mongodb://127.0.0.1:<port>/
//	NATS_URL=nats://127.0.0.1:<port>
//	READY
//
// On failure it prints one line starting with "embedded: " on stderr and exits 1.
// It stops on SIGTERM/SIGINT and when its stdin is closed (so it dies with the
// process that started it).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/nats-io/nats-server/v2/server"
)

const host = "127.0.0.1"

// failure is an error whose message is already meant for the user.
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

func failf(format string, args ...any) error {
	return &failure{msg: fmt.Sprintf(format, args...)}
}

func main() {
	os.Exit(run())
}

func run() (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "embedded: internal error: %v\n", oneLine(fmt.Sprint(r)))
			code = 1
		}
	}()

	setParentDeathSignal()

	fs := flag.NewFlagSet("reviewgraph-embedded", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data-dir", ".data/embedded", "directory for FerretDB and NATS data")
	mongoPort := fs.Int("mongo-port", 0, "FerretDB (MongoDB wire protocol) port on 127.0.0.1; 0 picks a free one")
	natsPort := fs.Int("nats-port", 0, "NATS port on 127.0.0.1; 0 picks a free one")
	watchStdin := fs.Bool("watch-stdin", true, "exit when stdin is closed")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(os.Stderr)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(os.Stderr, "embedded: %s\n", oneLine(err.Error()))
		return 1
	}

	if err := serve(*dataDir, *mongoPort, *natsPort, *watchStdin); err != nil {
		fmt.Fprintf(os.Stderr, "embedded: %s\n", oneLine(err.Error()))
		return 1
	}
	return 0
}

func serve(dataDir string, mongoPort, natsPort int, watchStdin bool) error {
	for name, p := range map[string]int{"--mongo-port": mongoPort, "--nats-port": natsPort} {
		if p < 0 || p > 65535 {
			return failf("%s must be between 0 and 65535, got %d", name, p)
		}
	}
	if mongoPort != 0 && mongoPort == natsPort {
		return failf("--mongo-port and --nats-port must differ (both %d)", mongoPort)
	}

	absDir, err := filepath.Abs(dataDir)
	if err != nil {
		return failf("data dir %s is not usable: %v", dataDir, err)
	}
	ferretDir := filepath.Join(absDir, "ferretdb")
	natsDir := filepath.Join(absDir, "nats")
	for _, d := range []string{ferretDir, natsDir} {
		if err := ensureWritableDir(d); err != nil {
			return failf("data dir %s is not writable: %v", absDir, unwrapPathError(err))
		}
	}

	// Check fixed ports up front: both servers report a busy port in ways that are hard to read.
	for _, p := range []int{mongoPort, natsPort} {
		if err := checkPortFree(p); err != nil {
			return err
		}
	}

	// Stop on signals and on stdin closing, from now on.
	stop := make(chan string, 4)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	go func() {
		s := <-sigs
		stop <- "signal " + s.String()
	}()
	if watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop <- "stdin closed"
		}()
	}

	// FerretDB. Used as a library, it does not know its own version ("unknown" in buildInfo's
	// ferretdbVersion); take it from the module version this binary was built with.
	setFerretDBVersion()
	logger := slog.New(newLazyAttrsHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	cfg := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: net.JoinHostPort(host, strconv.Itoa(mongoPort))},
		Logger:   logger,
	}
	if pg := os.Getenv("FERRETDB_POSTGRESQL_URL"); pg != "" {
		cfg.Handler = "postgresql"
		cfg.PostgreSQLURL = pg
		// FerretDB connects to PostgreSQL lazily (first request); fail now instead if it is unreachable.
		if err := checkPostgreSQLReachable(pg); err != nil {
			return err
		}
	} else {
		cfg.Handler = "sqlite"
		cfg.SQLiteURL = (&url.URL{Scheme: "file", Path: ferretDir + "/"}).String()
		if err := setAsideUnfinishedDatabases(ferretDir); err != nil {
			return err
		}
		if err := dropOrphanTables(ferretDir); err != nil {
			return err
		}
	}
	fdb, err := ferretdb.New(cfg)
	if err != nil {
		if isAddrInUse(err) {
			return failf("port %s is already in use", cfg.Listener.TCP)
		}
		return failf("FerretDB (%s) could not start: %v", cfg.Handler, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fdbDone := make(chan struct{})
	go func() {
		defer close(fdbDone)
		_ = fdb.Run(ctx)
	}()
	stopFerret := func() {
		cancel()
		select {
		case <-fdbDone:
		case <-time.After(5 * time.Second):
		}
	}
	mongoURI := fdb.MongoDBURI()
	if err := waitDial(mongoURI, 10*time.Second); err != nil {
		stopFerret()
		return failf("FerretDB did not start listening: %v", err)
	}

	// NATS with JetStream.
	nlog := &natsLogger{fatal: make(chan string, 8)}
	port := natsPort
	if port == 0 {
		port = server.RANDOM_PORT
	}
	nopts := &server.Options{
		ServerName: "reviewgraph-embedded",
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   natsDir,
		SyncAlways: true, // fsync every write: acknowledged messages survive power loss
		NoSigs:     true,
	}
	ns, err := server.NewServer(nopts)
	if err != nil {
		stopFerret()
		return failf("NATS could not start: %v", err)
	}
	ns.SetLoggerV2(nlog, false, false, false)
	ns.Start()
	if !ns.ReadyForConnections(30*time.Second) || !ns.JetStreamEnabled() {
		msg := nlog.firstFatal()
		ns.Shutdown()
		stopFerret()
		switch {
		case strings.Contains(msg, "address already in use"):
			return failf("port %s is already in use", net.JoinHostPort(host, strconv.Itoa(natsPort)))
		case msg != "":
			return failf("NATS could not start: %s", msg)
		case !ns.JetStreamEnabled():
			return failf("NATS started but JetStream is not enabled")
		default:
			return failf("NATS did not become ready within 30s")
		}
	}
	natsAddr, ok := ns.Addr().(*net.TCPAddr)
	if !ok {
		ns.Shutdown()
		stopFerret()
		return failf("NATS has no TCP listener")
	}

	// Ready.
	_, err = fmt.Fprintf(os.Stdout, "MONGODB_URI=%s\nNATS_URL=nats://%s\nREADY\n",
		mongoURI, net.JoinHostPort(host, strconv.Itoa(natsAddr.Port)))
	if err == nil {
		_ = os.Stdout.Sync()
	}

	var reason string
	select {
	case reason = <-stop:
	case <-fdbDone:
		reason = "FerretDB stopped"
	case msg := <-nlog.fatal:
		reason = "NATS fatal error: " + msg
	}

	ns.Shutdown()
	ns.WaitForShutdown()
	stopFerret()
	if strings.HasPrefix(reason, "NATS fatal") || reason == "FerretDB stopped" {
		return failf("%s", reason)
	}
	return nil
}

func setFerretDBVersion() {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	for _, dep := range bi.Deps {
		if dep.Path == "github.com/FerretDB/FerretDB" {
			v := dep.Version
			if dep.Replace != nil {
				if rv := dep.Replace.Version; rv != "" && rv != "(devel)" {
					v = rv
				} else {
					// replaced by the patched copy scripts/build-embedded.mjs builds (a directory, no version of its own)
					v += "+reviewgraph-patched"
				}
			}
			if v != "" {
				version.Get().Version = v
			}
			return
		}
	}
}

// ensureWritableDir creates dir if needed and checks a file can be created in it.
func ensureWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s %s: %w", pe.Op, pe.Path, pe.Err)
	}
	return err
}

func checkPortFree(port int) error {
	if port == 0 {
		return nil
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		if isAddrInUse(err) {
			return failf("port %s is already in use", addr)
		}
		return failf("cannot listen on %s: %v", addr, err)
	}
	_ = l.Close()
	return nil
}

func isAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use")
}

func waitDial(uri string, timeout time.Duration) error {
	u, err := url.Parse(uri)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err == nil {
			_ = c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkPostgreSQLReachable dials the host of a URL-form PostgreSQL connection string
// (key=value forms are left to FerretDB). The URL itself is never printed: it may hold a password.
func checkPostgreSQLReachable(pg string) error {
	u, err := url.Parse(pg)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil
	}
	hostname := u.Hostname()
	if hostname == "" || strings.HasPrefix(hostname, "/") {
		return nil // Unix socket or libpq defaults
	}
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	addr := net.JoinHostPort(hostname, port)
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return failf("PostgreSQL at %s (FERRETDB_POSTGRESQL_URL) is not reachable: %v", addr, err)
	}
	_ = c.Close()
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// natsLogger keeps NATS quiet: warnings and errors go to stderr, fatal errors
// are also handed to the launcher (the server does not exit on them by itself).
type natsLogger struct {
	fatal chan string
	first string
	seen  bool
}

func (l *natsLogger) Noticef(string, ...any) {}
func (l *natsLogger) Debugf(string, ...any)  {}
func (l *natsLogger) Tracef(string, ...any)  {}

func (l *natsLogger) Warnf(format string, v ...any) {
	fmt.Fprintf(os.Stderr, "nats: warning: %s\n", fmt.Sprintf(format, v...))
}

func (l *natsLogger) Errorf(format string, v ...any) {
	fmt.Fprintf(os.Stderr, "nats: error: %s\n", fmt.Sprintf(format, v...))
}

func (l *natsLogger) Fatalf(format string, v ...any) {
	msg := oneLine(fmt.Sprintf(format, v...))
	select {
	case l.fatal <- msg:
	default:
	}
}

// firstFatal returns the first fatal message reported so far, if any.
func (l *natsLogger) firstFatal() string {
	if !l.seen {
		select {
		case l.first = <-l.fatal:
			l.seen = true
		default:
		}
	}
	return l.first
}
