// Every rule asks the knowledge layer; one using for the project instead of one per file.
global using MLIntern.Analysis.Knowledge;
