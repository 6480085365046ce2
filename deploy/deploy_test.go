// Package deploy holds the deployment files (Docker Compose, Kubernetes,
// systemd, nginx) and this test, which loads every one of them so that a
// typo fails CI instead of a deploy.
package deploy

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// doc is one YAML document, with the file it came from.
type doc struct {
	file string
	m    map[string]any
}

// loadYAML parses every YAML file under dir, every document of each.
func loadYAML(t *testing.T, dir string) []doc {
	t.Helper()
	var out []doc
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for i := 0; ; i++ {
			var m map[string]any
			err := dec.Decode(&m)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s: document %d: %v", p, i+1, err)
				break
			}
			if m != nil {
				out = append(out, doc{file: p, m: m})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no YAML under %s", dir)
	}
	return out
}

// get walks m along a path of map keys and list indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func num(v any) int {
	n, _ := strconv.Atoi(strings.TrimSuffix(str(v), "s"))
	return n
}

// configEnv is every environment variable server/config.go reads.
func configEnv(t *testing.T) map[string]bool {
	t.Helper()
	src, err := os.ReadFile("../server/config.go")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`"((?:AGRI|MONGODB)_[A-Z0-9_]+)"`).FindAllStringSubmatch(string(src), -1) {
		names[m[1]] = true
	}
	if !names["MONGODB_URI"] || !names["AGRI_ADDR"] {
		t.Fatalf("read no variables from server/config.go: %v", names)
	}
	return names
}

// checkEnv fails for a variable the server does not read: a typo there is
// a setting silently ignored.
func checkEnv(t *testing.T, where string, names []string, known map[string]bool) {
	t.Helper()
	for _, n := range names {
		if !known[n] {
			t.Errorf("%s sets %s, which server/config.go does not read", where, n)
		}
	}
}

func keys(v any) []string {
	m, _ := v.(map[string]any)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestKubernetes(t *testing.T) {
	known := configEnv(t)
	byKind := map[string][]doc{}
	for _, d := range loadYAML(t, "k8s") {
		kind, api, name := str(d.m["kind"]), str(d.m["apiVersion"]), str(get(d.m, "metadata", "name"))
		if kind == "" || api == "" || name == "" {
			t.Errorf("%s: a document without kind, apiVersion or metadata.name: %v", d.file, keys(d.m))
			continue
		}
		byKind[kind] = append(byKind[kind], d)
	}
	for _, k := range []string{"Deployment", "Service", "Ingress", "PodDisruptionBudget", "ConfigMap", "Secret"} {
		if len(byKind[k]) == 0 {
			t.Errorf("no %s in deploy/k8s", k)
		}
	}
	envSources := map[string]bool{}
	for _, kind := range []string{"ConfigMap", "Secret"} {
		for _, d := range byKind[kind] {
			envSources[kind+"/"+str(get(d.m, "metadata", "name"))] = true
			vars := append(keys(d.m["data"]), keys(d.m["stringData"])...)
			checkEnv(t, d.file, vars, known)
			if kind == "Secret" && !slices.Contains(vars, "MONGODB_URI") {
				t.Errorf("%s: the Secret has no MONGODB_URI", d.file)
			}
		}
	}

	services := map[string]bool{}
	for _, d := range byKind["Service"] {
		services[str(get(d.m, "metadata", "name"))] = true
	}
	for _, d := range byKind["Deployment"] {
		spec := get(d.m, "spec", "template", "spec")
		if n := num(get(d.m, "spec", "replicas")); n < 2 {
			t.Errorf("%s: replicas %d, want at least 2", d.file, n)
		}
		if g := num(get(spec, "terminationGracePeriodSeconds")); g < 15 {
			t.Errorf("%s: terminationGracePeriodSeconds %d, want at least 15 for sockets to close", d.file, g)
		}
		if get(spec, "securityContext", "runAsNonRoot") != true {
			t.Errorf("%s: the pod does not require runAsNonRoot", d.file)
		}
		containers, _ := get(spec, "containers").([]any)
		if len(containers) == 0 {
			t.Fatalf("%s: no containers", d.file)
		}
		for i := range containers {
			c := get(containers, i)
			ports := map[string]bool{}
			ports0, _ := get(c, "ports").([]any)
			for j := range ports0 {
				ports[str(get(c, "ports", j, "containerPort"))] = true
				ports[str(get(c, "ports", j, "name"))] = true
			}
			for probe, path := range map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/healthz"} {
				if got := str(get(c, probe, "httpGet", "path")); got != path {
					t.Errorf("%s: %s path %q, want %s", d.file, probe, got, path)
				}
				if port := str(get(c, probe, "httpGet", "port")); !ports[port] {
					t.Errorf("%s: %s port %q is not a container port", d.file, probe, port)
				}
			}
			if get(c, "resources", "requests") == nil || get(c, "resources", "limits") == nil {
				t.Errorf("%s: container %d without resource requests and limits", d.file, i)
			}
			if get(c, "securityContext", "allowPrivilegeEscalation") != false {
				t.Errorf("%s: container %d may escalate privileges", d.file, i)
			}
			envFrom, _ := get(c, "envFrom").([]any)
			for j := range envFrom {
				for kind, key := range map[string]string{"ConfigMap": "configMapRef", "Secret": "secretRef"} {
					if ref := str(get(c, "envFrom", j, key, "name")); ref != "" && !envSources[kind+"/"+ref] {
						t.Errorf("%s: envFrom names %s %s, which deploy/k8s does not define", d.file, kind, ref)
					}
				}
			}
			if env, ok := get(c, "env").([]any); ok {
				for j := range env {
					checkEnv(t, d.file, []string{str(get(env, j, "name"))}, known)
				}
			}
		}
	}
	for _, d := range byKind["Ingress"] {
		ann := get(d.m, "metadata", "annotations")
		for _, a := range []string{"proxy-read-timeout", "proxy-send-timeout"} {
			if n := num(get(ann, "nginx.ingress.kubernetes.io/"+a)); n < 3600 {
				t.Errorf("%s: %s %d, want at least 3600 for websockets", d.file, a, n)
			}
		}
		if str(get(ann, "nginx.ingress.kubernetes.io/proxy-body-size")) == "" {
			t.Errorf("%s: no proxy-body-size: imports would stop at ingress-nginx's 1m default", d.file)
		}
		rules, _ := get(d.m, "spec", "rules").([]any)
		for i := range rules {
			paths, _ := get(rules, i, "http", "paths").([]any)
			for j := range paths {
				if svc := str(get(paths, j, "backend", "service", "name")); !services[svc] {
					t.Errorf("%s: backend service %q is not defined", d.file, svc)
				}
			}
		}
	}
	for _, d := range byKind["PodDisruptionBudget"] {
		if n := num(get(d.m, "spec", "minAvailable")); n < 1 {
			t.Errorf("%s: minAvailable %d, want at least 1", d.file, n)
		}
	}
}

func TestCompose(t *testing.T) {
	known := configEnv(t)
	docs := loadYAML(t, "compose")
	var c map[string]any
	for _, d := range docs {
		if strings.HasSuffix(d.file, "docker-compose.yml") {
			c = d.m
		}
	}
	if c == nil {
		t.Fatal("no compose/docker-compose.yml")
	}
	svcs, _ := c["services"].(map[string]any)
	for _, s := range []string{"mongo1", "mongo2", "mongo3", "mongo-init", "nginx"} {
		if svcs[s] == nil {
			t.Errorf("compose: no service %s", s)
		}
	}
	apps := 0
	for name, s := range svcs {
		if !strings.HasSuffix(str(get(s, "build", "dockerfile")), "deploy/Dockerfile") {
			continue
		}
		apps++
		env, _ := get(s, "environment").(map[string]any)
		checkEnv(t, "compose service "+name, keys(env), known)
		uri := str(env["MONGODB_URI"])
		for _, h := range []string{"mongo1", "mongo2", "mongo3", "replicaSet=rs0"} {
			if !strings.Contains(uri, h) {
				t.Errorf("compose service %s: MONGODB_URI %q lacks %s", name, uri, h)
			}
		}
		if hc := str(get(s, "healthcheck", "test")); !strings.Contains(hc, "/readyz") {
			t.Errorf("compose service %s: health check %s does not ask /readyz", name, hc)
		}
	}
	if apps < 2 {
		t.Errorf("compose: %d app services built from deploy/Dockerfile, want at least 2", apps)
	}
	if init := str(get(svcs, "mongo-init", "command")); !strings.Contains(init, "rs.initiate") {
		t.Errorf("compose: mongo-init does not run rs.initiate")
	}
	vols, _ := get(svcs, "nginx", "volumes").([]any)
	for _, v := range vols {
		src, _, _ := strings.Cut(str(v), ":")
		if _, err := os.Stat(filepath.Join("compose", src)); err != nil {
			t.Errorf("compose: nginx mounts %s: %v", src, err)
		}
	}
}

// ngx is one nginx directive, with its block if it has one.
type ngx struct {
	args  []string
	block []*ngx
}

// parseNginx reads nginx.conf into directives: words, quoted strings,
// ';' ending a directive, '{' '}' around a block. Enough to catch an
// unbalanced brace, a missing ';', and to look inside locations.
func parseNginx(src string) ([]*ngx, error) {
	var toks []string
	for _, line := range strings.Split(src, "\n") {
		for i := 0; i < len(line); {
			switch ch := line[i]; {
			case ch == '#':
				i = len(line)
			case ch == ' ' || ch == '\t' || ch == '\r':
				i++
			case ch == '{' || ch == '}' || ch == ';':
				toks = append(toks, string(ch))
				i++
			case ch == '"' || ch == '\'':
				j := strings.IndexByte(line[i+1:], ch)
				if j < 0 {
					return nil, fmt.Errorf("unterminated quote in %q", line)
				}
				toks = append(toks, line[i+1:i+1+j])
				i += j + 2
			default:
				j := i
				for j < len(line) && !strings.ContainsRune(" \t\r{};#\"'", rune(line[j])) {
					j++
				}
				toks = append(toks, line[i:j])
				i = j
			}
		}
	}
	var parse func(depth int) ([]*ngx, error)
	parse = func(depth int) ([]*ngx, error) {
		var out []*ngx
		cur := &ngx{}
		for len(toks) > 0 {
			tok := toks[0]
			toks = toks[1:]
			switch tok {
			case ";":
				if len(cur.args) == 0 {
					return nil, errors.New("empty directive")
				}
				out, cur = append(out, cur), &ngx{}
			case "{":
				b, err := parse(depth + 1)
				if err != nil {
					return nil, err
				}
				cur.block = b
				out, cur = append(out, cur), &ngx{}
			case "}":
				if depth == 0 {
					return nil, errors.New("unbalanced '}'")
				}
				if len(cur.args) > 0 {
					return nil, fmt.Errorf("directive %v lacks its ';'", cur.args)
				}
				return out, nil
			default:
				cur.args = append(cur.args, tok)
			}
		}
		if depth > 0 {
			return nil, errors.New("unbalanced '{'")
		}
		if len(cur.args) > 0 {
			return nil, fmt.Errorf("directive %v lacks its ';'", cur.args)
		}
		return out, nil
	}
	return parse(0)
}

// find returns every directive named name at any depth, with the blocks
// it is in.
func find(ds []*ngx, name string) []*ngx {
	var out []*ngx
	for _, d := range ds {
		if d.args[0] == name {
			out = append(out, d)
		}
		out = append(out, find(d.block, name)...)
	}
	return out
}

// directive returns the arguments of name directly in block, joined.
func directive(block []*ngx, name string) []string {
	var out []string
	for _, d := range block {
		if d.args[0] == name {
			out = append(out, strings.Join(d.args[1:], " "))
		}
	}
	return out
}

func TestNginx(t *testing.T) {
	src, err := os.ReadFile("compose/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf, err := parseNginx(string(src))
	if err != nil {
		t.Fatalf("nginx.conf: %v", err)
	}
	locations := map[string][]*ngx{}
	for _, l := range find(conf, "location") {
		locations[strings.Join(l.args[1:], " ")] = l.block
	}
	ws := locations["/ws/"]
	if ws == nil {
		t.Fatalf("nginx.conf: no location /ws/ (have %v)", keys(anyMap(locations)))
	}
	if !slices.Contains(directive(ws, "proxy_http_version"), "1.1") {
		t.Error("location /ws/: no proxy_http_version 1.1")
	}
	headers := directive(ws, "proxy_set_header")
	if !slices.Contains(headers, "Upgrade $http_upgrade") {
		t.Errorf("location /ws/: no Upgrade header: %v", headers)
	}
	if !slices.ContainsFunc(headers, func(h string) bool { return strings.HasPrefix(h, "Connection ") && h != "Connection " }) {
		t.Errorf("location /ws/: no Connection header: %v", headers)
	}
	if !slices.ContainsFunc(headers, func(h string) bool { return strings.HasPrefix(h, "X-Forwarded-For ") }) {
		t.Errorf("location /ws/: no X-Forwarded-For (its own proxy_set_header list replaces the server's)")
	}
	for _, d := range []string{"proxy_read_timeout", "proxy_send_timeout"} {
		if v := directive(ws, d); len(v) != 1 || num(v[0]) < 3600 {
			t.Errorf("location /ws/: %s %v, want at least 3600s", d, v)
		}
	}
	var imports []*ngx
	for l, b := range locations {
		if strings.Contains(l, "imports") {
			imports = b
		}
	}
	if got := directive(imports, "client_max_body_size"); !slices.Equal(got, []string{"256m"}) {
		t.Errorf("the imports location: client_max_body_size %v, want 256m", got)
	}
	if len(find(conf, "proxy_set_header")) == 0 || !strings.Contains(string(src), "X-Forwarded-For $proxy_add_x_forwarded_for") {
		t.Error("nginx.conf does not set X-Forwarded-For")
	}
	for _, sticky := range []string{"ip_hash", "sticky", "hash"} {
		if len(find(conf, sticky)) > 0 {
			t.Errorf("nginx.conf uses %s: no sticky sessions are needed, any process serves any auction", sticky)
		}
	}
}

func anyMap[V any](m map[string]V) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// parseUnit reads a systemd unit as INI: section → key → values (a key
// may repeat).
func parseUnit(src string) (map[string]map[string][]string, error) {
	out := map[string]map[string][]string{}
	var sec string
	sc := bufio.NewScanner(strings.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[' && line[len(line)-1] == ']':
			sec = line[1 : len(line)-1]
			if out[sec] == nil {
				out[sec] = map[string][]string{}
			}
		case sec == "":
			return nil, fmt.Errorf("line %d: %q outside a section", n, line)
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return nil, fmt.Errorf("line %d: %q is not key=value", n, line)
			}
			k = strings.TrimSpace(k)
			out[sec][k] = append(out[sec][k], strings.TrimSpace(v))
		}
	}
	return out, sc.Err()
}

func TestSystemdUnit(t *testing.T) {
	known := configEnv(t)
	src, err := os.ReadFile("systemd/agrimaker.service")
	if err != nil {
		t.Fatal(err)
	}
	u, err := parseUnit(string(src))
	if err != nil {
		t.Fatalf("agrimaker.service: %v", err)
	}
	for _, s := range []string{"Unit", "Service", "Install"} {
		if u[s] == nil {
			t.Errorf("agrimaker.service: no [%s]", s)
		}
	}
	svc := u["Service"]
	for k, want := range map[string]string{
		"Restart": "on-failure", "KillSignal": "SIGTERM", "LimitNOFILE": "65536",
		"NoNewPrivileges": "yes", "ProtectSystem": "strict",
	} {
		if got := svc[k]; len(got) != 1 || got[0] != want {
			t.Errorf("[Service] %s=%v, want %s", k, got, want)
		}
	}
	if e := svc["ExecStart"]; len(e) != 1 || !strings.HasPrefix(e[0], "/") {
		t.Errorf("[Service] ExecStart=%v, want one absolute path", e)
	}
	if s := svc["TimeoutStopSec"]; len(s) != 1 || num(s[0]) < 15 {
		t.Errorf("[Service] TimeoutStopSec=%v, want at least 15 for sockets to close", s)
	}
	var data string
	for _, e := range svc["Environment"] {
		k, v, _ := strings.Cut(e, "=")
		checkEnv(t, "agrimaker.service", []string{k}, known)
		if k == "AGRI_DATA" {
			data = v
		}
	}
	if data == "" || !slices.ContainsFunc(svc["ReadWritePaths"], func(p string) bool { return strings.Contains(p, data) }) {
		t.Errorf("AGRI_DATA=%q is not in ReadWritePaths %v: the embedded store could not write", data, svc["ReadWritePaths"])
	}
}

// TestDockerfile checks the image's build stage, user and variables.
func TestDockerfile(t *testing.T) {
	known := configEnv(t)
	src, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	if !strings.Contains(s, "FROM golang:1.26 AS build") {
		t.Error("Dockerfile: no golang:1.26 build stage")
	}
	m := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(s, -1)
	if len(m) == 0 || strings.HasPrefix(m[len(m)-1][1], "root") || strings.HasPrefix(m[len(m)-1][1], "0") {
		t.Errorf("Dockerfile: the runtime stage must run as a non-root user: %v", m)
	}
	for _, v := range regexp.MustCompile(`\b(AGRI_[A-Z0-9_]+|MONGODB_URI)=`).FindAllStringSubmatch(s, -1) {
		checkEnv(t, "Dockerfile", []string{v[1]}, known)
	}
}

// TestOperationsEnvReference: the guide's variable table names every
// variable the server reads, and none it does not.
func TestOperationsEnvReference(t *testing.T) {
	known := configEnv(t)
	src, err := os.ReadFile("OPERATIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, m := range regexp.MustCompile("`((?:AGRI|MONGODB)_[A-Z0-9_]+)`").FindAllStringSubmatch(string(src), -1) {
		named[m[1]] = true
	}
	for v := range known {
		if !named[v] {
			t.Errorf("OPERATIONS.md does not describe %s (server/config.go reads it)", v)
		}
	}
	checkEnv(t, "OPERATIONS.md", keys(anyMap(named)), known)
}
