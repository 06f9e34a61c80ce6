package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"brightrun/assets"
	"brightrun/model"
)

// CatalogFile is the operator's GPU catalog override, in the data dir.
const CatalogFile = "gpus.json"

// LoadCatalog reads the GPU catalog: the data dir's gpus.json when present,
// else the embedded default. A broken override is an error, not a fallback,
// so prices are never silently wrong.
func LoadCatalog(dataDir string) (model.Catalog, string, error) {
	if dataDir != "" {
		path := filepath.Join(dataDir, CatalogFile)
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			c, err := model.ParseCatalog(data)
			if err != nil {
				return model.Catalog{}, "", fmt.Errorf("%s: %w", path, err)
			}
			return c, path, nil
		case !errors.Is(err, os.ErrNotExist):
			return model.Catalog{}, "", fmt.Errorf("read GPU catalog: %w", err)
		}
	}
	c, err := model.ParseCatalog(assets.GPUCatalog)
	if err != nil {
		return model.Catalog{}, "", fmt.Errorf("embedded GPU catalog: %w", err)
	}
	return c, "built-in", nil
}

// ModelCatalogFile is the operator's model catalog override, in the data dir.
const ModelCatalogFile = "models.json"

// LoadModelCatalog reads the base model catalog: the data dir's models.json
// when present, else the embedded default. Like the GPU catalog, a broken
// override is an error, not a fallback.
func LoadModelCatalog(dataDir string) (model.ModelCatalog, string, error) {
	if dataDir != "" {
		path := filepath.Join(dataDir, ModelCatalogFile)
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			c, err := model.ParseModelCatalog(data)
			if err != nil {
				return model.ModelCatalog{}, "", fmt.Errorf("%s: %w", path, err)
			}
			return c, path, nil
		case !errors.Is(err, os.ErrNotExist):
			return model.ModelCatalog{}, "", fmt.Errorf("read model catalog: %w", err)
		}
	}
	c, err := model.ParseModelCatalog(assets.ModelCatalog)
	if err != nil {
		return model.ModelCatalog{}, "", fmt.Errorf("embedded model catalog: %w", err)
	}
	return c, "built-in", nil
}
