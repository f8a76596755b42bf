package service

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// manifestEntry lists one stored document file for a backup: the files are
// content-addressed, so the name is the SHA-256 and a copy can be checked.
type manifestEntry struct {
	Path   string `json:"chemin"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"taille"`
}

// writeManifest lists the stored documents under dataDir/documents.
func WriteManifest(file, dataDir string) (int, error) {
	root := filepath.Join(dataDir, "documents")
	var entries []manifestEntry
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == root {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dataDir, p)
		entries = append(entries, manifestEntry{Path: rel, SHA256: filepath.Base(p), Size: info.Size()})
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("manifest: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	b, err := json.MarshalIndent(map[string]any{"documents": entries, "racine": dataDir}, "", "  ")
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return 0, fmt.Errorf("manifest: %w", err)
	}
	return len(entries), nil
}
