"""The vocabulary: words, groups, activities, readings and word files (API and CLI alike)."""
