namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// The ML libraries' API surface as data, in one place: which classes derive from which (so a
/// subclass from trl, sentence-transformers or the user's own file counts as what it extends), the
/// model loaders, tokenizers, metrics, split functions, data loaders and seeding calls rules ask
/// about. Names are canonical: a package's top-level export (`transformers.Trainer`, not
/// `transformers.trainer.Trainer`); <see cref="Symbols"/> maps what a file imports onto them.
/// </summary>
public static class Api
{
    public const string Trainer = "transformers.Trainer";
    public const string TrainingArguments = "transformers.TrainingArguments";
    public const string SetFitTrainer = "setfit.Trainer";
    public const string SetFitArguments = "setfit.TrainingArguments";
    public const string TorchModule = "torch.nn.Module";
    public const string TorchOptimizer = "torch.optim.Optimizer";
    public const string LightningModule = "lightning.LightningModule";
    public const string ClassLabel = "datasets.ClassLabel";
    public const string PreTrainedModel = "transformers.PreTrainedModel";

    /// <summary>
    /// Known classes and the class each derives from (null: a root). A class of a user's file derives
    /// from these through its bases.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Classes = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [Trainer] = null,
        ["transformers.Seq2SeqTrainer"] = Trainer,
        ["trl.SFTTrainer"] = Trainer,
        ["trl.DPOTrainer"] = Trainer,
        ["trl.GRPOTrainer"] = Trainer,
        ["trl.RewardTrainer"] = Trainer,
        ["trl.ORPOTrainer"] = Trainer,
        ["trl.KTOTrainer"] = Trainer,
        ["trl.CPOTrainer"] = Trainer,
        ["trl.PPOTrainer"] = Trainer,
        ["trl.RLOOTrainer"] = Trainer,
        ["trl.GKDTrainer"] = Trainer,
        ["trl.IterativeSFTTrainer"] = Trainer,
        ["sentence_transformers.SentenceTransformerTrainer"] = Trainer,
        ["sentence_transformers.CrossEncoderTrainer"] = Trainer,
        ["sentence_transformers.SparseEncoderTrainer"] = Trainer,

        [TrainingArguments] = null,
        ["transformers.Seq2SeqTrainingArguments"] = TrainingArguments,
        ["trl.SFTConfig"] = TrainingArguments,
        ["trl.DPOConfig"] = TrainingArguments,
        ["trl.GRPOConfig"] = TrainingArguments,
        ["trl.RewardConfig"] = TrainingArguments,
        ["trl.ORPOConfig"] = TrainingArguments,
        ["trl.KTOConfig"] = TrainingArguments,
        ["trl.CPOConfig"] = TrainingArguments,
        ["trl.PPOConfig"] = TrainingArguments,
        ["trl.RLOOConfig"] = TrainingArguments,
        ["trl.GKDConfig"] = TrainingArguments,
        ["sentence_transformers.SentenceTransformerTrainingArguments"] = TrainingArguments,
        ["sentence_transformers.CrossEncoderTrainingArguments"] = TrainingArguments,
        ["sentence_transformers.SparseEncoderTrainingArguments"] = TrainingArguments,

        // SetFit has its own trainer and arguments, not built on transformers' (different parameters).
        [SetFitTrainer] = null,
        ["setfit.SetFitTrainer"] = SetFitTrainer,
        ["setfit.DistillationTrainer"] = SetFitTrainer,
        [SetFitArguments] = null,

        [TorchModule] = null,
        [PreTrainedModel] = TorchModule,
        [LightningModule] = TorchModule,
        ["sentence_transformers.SentenceTransformer"] = TorchModule,
        ["sentence_transformers.CrossEncoder"] = TorchModule,
        ["setfit.SetFitModel"] = null,
        ["peft.PeftModel"] = TorchModule,
        [TorchOptimizer] = null,
        [ClassLabel] = null,
    };

    /// <summary>
    /// Where the same class is exported under another module path. Lightning is published as both
    /// `lightning` and `pytorch_lightning`; submodule paths (`transformers.trainer.Trainer`) need no
    /// entry, <see cref="Symbols"/> maps a package's `a.b.Name` to its top-level `a.Name` itself.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pytorch_lightning.LightningModule"] = LightningModule,
        ["torch.nn.modules.module.Module"] = TorchModule,
        ["torch.optim.optimizer.Optimizer"] = TorchOptimizer,
        ["datasets.features.ClassLabel"] = ClassLabel,
        ["datasets.load.load_dataset"] = "datasets.load_dataset",
        ["setfit.trainer.Trainer"] = SetFitTrainer,
        ["setfit.training_args.TrainingArguments"] = SetFitArguments,
        ["transformers.optimization.AdamW"] = "transformers.AdamW",
        ["transformers.optimization.Adafactor"] = "transformers.Adafactor",
        ["torch.autograd.no_grad"] = "torch.no_grad",
        ["torch.autograd.grad_mode.no_grad"] = "torch.no_grad",
        ["torch.autograd.grad_mode.inference_mode"] = "torch.inference_mode",
        ["torch.random.manual_seed"] = "torch.manual_seed",
        ["transformers.trainer_utils.set_seed"] = "transformers.set_seed",
        ["lightning.pytorch.seed_everything"] = "lightning.seed_everything",
        ["pytorch_lightning.seed_everything"] = "lightning.seed_everything",
        ["lightning.fabric.seed_everything"] = "lightning.seed_everything",
        ["lightning_fabric.seed_everything"] = "lightning.seed_everything",
        ["accelerate.utils.set_seed"] = "accelerate.set_seed",
        ["datasets.arrow_dataset.Dataset"] = "datasets.Dataset",
        ["datasets.dataset_dict.DatasetDict"] = "datasets.DatasetDict",
    };

    /// <summary>Packages whose submodules re-export their classes at the top level (`transformers.models.bert.BertModel` is `transformers.BertModel`).</summary>
    public static readonly IReadOnlySet<string> FlatPackages = new HashSet<string>(StringComparer.Ordinal)
    {
        "transformers", "trl", "peft", "setfit", "datasets", "evaluate", "accelerate", "sentence_transformers", "lightning",
        "pytorch_lightning",
    };

    /// <summary>Top-level packages whose import marks a file as doing ML work (rules stay silent on other files).</summary>
    public static readonly IReadOnlySet<string> MlPackages = new HashSet<string>(StringComparer.Ordinal)
    {
        "transformers", "torch", "sklearn", "datasets", "evaluate", "tensorflow", "keras", "jax", "flax", "lightning",
        "pytorch_lightning", "accelerate", "peft", "trl", "setfit", "sentence_transformers", "xgboost", "lightgbm", "catboost",
        "torchmetrics", "timm", "huggingface_hub", "torchvision", "torchaudio", "tokenizers", "bitsandbytes", "deepspeed",
    };

    /// <summary>Calls that seed numpy's global generator (and what seeds everything).</summary>
    public static readonly IReadOnlySet<string> NumpySeeders = new HashSet<string>(StringComparer.Ordinal)
    {
        "numpy.random.seed", "transformers.set_seed", "transformers.enable_full_determinism", "accelerate.set_seed",
        "lightning.seed_everything",
    };

    /// <summary>Calls that seed torch's generators.</summary>
    public static readonly IReadOnlySet<string> TorchSeeders = new HashSet<string>(StringComparer.Ordinal)
    {
        "torch.manual_seed", "torch.cuda.manual_seed", "torch.cuda.manual_seed_all", "transformers.set_seed",
        "transformers.enable_full_determinism", "accelerate.set_seed", "lightning.seed_everything",
    };

    /// <summary>Context managers that turn gradient tracking off.</summary>
    public static readonly IReadOnlySet<string> NoGradContexts = new HashSet<string>(StringComparer.Ordinal)
    {
        "torch.no_grad", "torch.inference_mode", "torch.set_grad_enabled",
    };

    /// <summary>scikit-learn metrics that compare class ids (not scores: `roc_auc_score` and `log_loss` want scores).</summary>
    public static readonly IReadOnlySet<string> SklearnLabelMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "accuracy_score", "balanced_accuracy_score", "f1_score", "fbeta_score", "precision_score", "recall_score",
        "precision_recall_fscore_support", "classification_report", "confusion_matrix", "matthews_corrcoef",
        "cohen_kappa_score", "jaccard_score", "hamming_loss", "zero_one_loss",
    };

    /// <summary>scikit-learn metrics whose `average` defaults to "binary" (an error on more than two classes).</summary>
    public static readonly IReadOnlySet<string> SklearnBinaryAverageMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "f1_score", "fbeta_score", "precision_score", "recall_score", "jaccard_score",
    };

    /// <summary>evaluate / datasets metrics (by the name given to `evaluate.load`) that compare class ids.</summary>
    public static readonly IReadOnlySet<string> EvaluateLabelMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "accuracy", "f1", "precision", "recall", "matthews_correlation", "confusion_matrix",
    };

    /// <summary>
    /// evaluate metric suites that compare class ids in every configuration but those listed (regression tasks):
    /// `evaluate.load("glue", "mrpc")` is accuracy and F1 over labels, `("glue", "stsb")` a correlation.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> EvaluateLabelMetricSuites = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["glue"] = ["stsb"],
        ["xnli"] = [],
    };

    /// <summary>evaluate metrics whose `average` defaults to "binary".</summary>
    public static readonly IReadOnlySet<string> EvaluateBinaryAverageMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "f1", "precision", "recall",
    };

    /// <summary>The keys of the dict an evaluate metric's `compute` returns (a Trainer reports them with `eval_`).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> EvaluateResultKeys = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["accuracy"] = ["accuracy"],
        ["f1"] = ["f1"],
        ["precision"] = ["precision"],
        ["recall"] = ["recall"],
        ["matthews_correlation"] = ["matthews_correlation"],
    };

    /// <summary>What loads an evaluate metric by name.</summary>
    public static readonly IReadOnlySet<string> MetricLoaders = new HashSet<string>(StringComparer.Ordinal)
    {
        "evaluate.load", "datasets.load_metric",
    };

    /// <summary>Functions that split data into parts and how they are seeded and stratified.</summary>
    public static readonly IReadOnlyDictionary<string, SplitFunction> SplitFunctions = new Dictionary<string, SplitFunction>(StringComparer.Ordinal)
    {
        ["sklearn.model_selection.train_test_split"] = new("random_state", "stratify", ShufflesByDefault: true),
    };

    /// <summary>pandas readers of a data file (the path is the first argument).</summary>
    public static readonly IReadOnlySet<string> PandasReaders = new HashSet<string>(StringComparer.Ordinal)
    {
        "pandas.read_csv", "pandas.read_table", "pandas.read_json", "pandas.read_parquet", "pandas.read_excel",
    };

    /// <summary>datasets' readers of data files.</summary>
    public static readonly IReadOnlySet<string> DatasetFileReaders = new HashSet<string>(StringComparer.Ordinal)
    {
        "datasets.Dataset.from_csv", "datasets.Dataset.from_json", "datasets.Dataset.from_parquet",
    };

    /// <summary>Calls that make a datasets / pandas object from data.</summary>
    public static readonly IReadOnlySet<string> DatasetMakers = new HashSet<string>(StringComparer.Ordinal)
    {
        "datasets.load_dataset", "datasets.load_from_disk", "datasets.concatenate_datasets", "datasets.DatasetDict",
        "datasets.Dataset.from_pandas", "datasets.Dataset.from_dict", "datasets.Dataset.from_list", "datasets.Dataset.from_csv",
        "datasets.Dataset.from_json", "datasets.Dataset.from_parquet", "datasets.Dataset.from_generator",
    };

    /// <summary>Calls that return data made from their first argument.</summary>
    public static readonly IReadOnlySet<string> DataWrappers = new HashSet<string>(StringComparer.Ordinal)
    {
        "sklearn.model_selection.train_test_split", "datasets.Dataset.from_pandas", "datasets.Dataset.from_dict",
        "pandas.DataFrame", "datasets.DatasetDict",
    };

    /// <summary>Collators that pass a data set's label column through as it is (they only pad or stack).</summary>
    public static readonly IReadOnlySet<string> PlainCollators = new HashSet<string>(StringComparer.Ordinal)
    {
        "transformers.DataCollatorWithPadding", "transformers.default_data_collator", "transformers.DefaultDataCollator",
    };

    /// <summary>Gradient scalers, whose `step(optimizer)` steps the optimizer it is given.</summary>
    public static readonly IReadOnlySet<string> GradScalers = new HashSet<string>(StringComparer.Ordinal)
    {
        "torch.cuda.amp.GradScaler", "torch.amp.GradScaler", "torch.GradScaler", "torch.cpu.amp.GradScaler",
    };

    /// <summary>Optimizers outside `torch.optim` (which all count).</summary>
    public static readonly IReadOnlySet<string> OtherOptimizers = new HashSet<string>(StringComparer.Ordinal)
    {
        "transformers.AdamW", "transformers.Adafactor",
    };

    /// <summary>Calls that wrap a model and return the model (its identity for the rules).</summary>
    public static readonly IReadOnlySet<string> ModelWrappers = new HashSet<string>(StringComparer.Ordinal)
    {
        "peft.get_peft_model", "peft.prepare_model_for_kbit_training", "torch.compile", "torch.nn.DataParallel",
        "torch.nn.parallel.DistributedDataParallel",
    };

    /// <summary>
    /// A loss function's class: torch's losses all live in `torch.nn` and end in `Loss` (`CrossEntropyLoss`,
    /// `BCEWithLogitsLoss`, the `_Loss` base); a module of these is called on a model's output, it is not a model.
    /// </summary>
    public static bool IsLossClass(string canonical) =>
        canonical.StartsWith("torch.nn.", StringComparison.Ordinal) && canonical.EndsWith("Loss", StringComparison.Ordinal);

    /// <summary>What turns text or images into model inputs, and configurations: `AutoTokenizer`, `BertTokenizerFast`, `AutoImageProcessor`, `BertConfig`.</summary>
    public static bool IsPreprocessorClass(string className) =>
        className.EndsWith("Tokenizer", StringComparison.Ordinal) || className.EndsWith("TokenizerFast", StringComparison.Ordinal) ||
        className.EndsWith("Processor", StringComparison.Ordinal) || className.EndsWith("FeatureExtractor", StringComparison.Ordinal) ||
        className.EndsWith("Config", StringComparison.Ordinal) || className.EndsWith("Collator", StringComparison.Ordinal);

    /// <summary>
    /// A model class of a model library by the library's own naming: transformers' `AutoModel…`, `…Model`,
    /// `…For…` heads; peft's and setfit's models; sentence-transformers' encoders.
    /// </summary>
    public static bool IsModelPackageClass(string canonical)
    {
        var dot = canonical.IndexOf('.');
        if (dot < 0)
        {
            return false;
        }

        var (package, name) = (canonical[..dot], canonical[(canonical.LastIndexOf('.') + 1)..]);
        return package switch
        {
            "transformers" => name.StartsWith("AutoModel", StringComparison.Ordinal) || name.Contains("For", StringComparison.Ordinal) ||
                              name.EndsWith("Model", StringComparison.Ordinal) || name.EndsWith("LMHeadModel", StringComparison.Ordinal),
            "peft" => name.EndsWith("Model", StringComparison.Ordinal) || name.StartsWith("PeftModel", StringComparison.Ordinal),
            "setfit" => name is "SetFitModel",
            "sentence_transformers" => name is "SentenceTransformer" or "CrossEncoder" or "SparseEncoder",
            _ => false,
        };
    }

    /// <summary>A checkpoint path rather than a Hub id: relative or absolute, a home or Windows path, a `checkpoint-N` folder, more than one `/`.</summary>
    public static bool IsLocalCheckpoint(string checkpoint) =>
        checkpoint.StartsWith('.') || checkpoint.StartsWith('/') || checkpoint.StartsWith('~') || checkpoint.Contains('\\') ||
        checkpoint.Count(c => c == '/') > 1 || checkpoint.Contains("checkpoint", StringComparison.OrdinalIgnoreCase) ||
        checkpoint.Contains(':');

    /// <summary>
    /// A sentence-transformers evaluator (`EmbeddingSimilarityEvaluator`, `CrossEncoderNanoBEIREvaluator`, …):
    /// calling one on a model evaluates it and logs its metrics.
    /// </summary>
    public static bool IsEvaluatorClass(string canonical) =>
        canonical.StartsWith("sentence_transformers.", StringComparison.Ordinal) && canonical.EndsWith("Evaluator", StringComparison.Ordinal);

    /// <summary>A layer or container of `torch.nn` (`nn.Linear`, `nn.Sequential`, `nn.LSTM`): a module that is not a loss.</summary>
    public static bool IsTorchLayerClass(string canonical) =>
        canonical.StartsWith("torch.nn.", StringComparison.Ordinal) && !IsLossClass(canonical) &&
        canonical[(canonical.LastIndexOf('.') + 1)..] is [>= 'A' and <= 'Z', ..] and not ("Parameter" or "Buffer") &&
        !canonical.StartsWith("torch.nn.utils.", StringComparison.Ordinal) && !canonical.StartsWith("torch.nn.init.", StringComparison.Ordinal);

    /// <summary>Functions that build and return a model: torchvision's and timm's model constructors.</summary>
    public static bool IsModelFactory(string canonical) =>
        canonical.StartsWith("torchvision.models.", StringComparison.Ordinal) && !canonical.Contains("Weights", StringComparison.Ordinal) ||
        canonical is "timm.create_model" or "torch.hub.load" or "transformers.AutoModel.from_config";

    /// <summary>transformers classes loaded with `from_pretrained` that are not models.</summary>
    public static readonly IReadOnlySet<string> NotModels = new HashSet<string>(StringComparer.Ordinal)
    {
        "AutoConfig", "AutoProcessor", "AutoFeatureExtractor", "AutoImageProcessor", "PretrainedConfig", "GenerationConfig",
    };

    /// <summary>The column names the transformers Trainer (through its data collators) takes as labels.</summary>
    public static readonly IReadOnlySet<string> TrainerLabelColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "label", "labels", "label_ids",
    };

    /// <summary>Model configuration keywords that carry the label set (`from_pretrained(..., id2label=...)`, `config.label2id = ...`).</summary>
    public static readonly IReadOnlySet<string> LabelConfigKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "id2label", "label2id", "num_labels",
    };

    /// <summary>scikit-learn encoders that learn a numbering of the values they are fitted on.</summary>
    public static readonly IReadOnlySet<string> LabelEncoderClasses = new HashSet<string>(StringComparer.Ordinal)
    {
        "sklearn.preprocessing.LabelEncoder", "sklearn.preprocessing.OrdinalEncoder", "sklearn.preprocessing.LabelBinarizer",
        "sklearn.preprocessing.MultiLabelBinarizer", "sklearn.preprocessing.OneHotEncoder",
    };

    /// <summary>Calls other than the scikit-learn encoders that turn values into integer ids or indicator columns.</summary>
    public static readonly IReadOnlySet<string> ValueEncoders = new HashSet<string>(StringComparer.Ordinal)
    {
        "pandas.factorize", "pandas.get_dummies", "pandas.Categorical", ClassLabel, "keras.layers.StringLookup",
        "tensorflow.keras.layers.StringLookup",
    };

    /// <summary>Methods of a frame, data set, feature or encoder that encode a column's values as ids.</summary>
    public static readonly IReadOnlySet<string> EncodingMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "factorize", "class_encode_column", "cast_column", "str2int", "align_labels_with_mapping", "get_dummies", "fit_transform",
    };

    /// <summary>Methods of a data set or frame that return data made from it: its rows (or fewer of them), changed in form.</summary>
    public static readonly IReadOnlySet<string> DataKeepingMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "map", "filter", "select", "shuffle", "with_format", "set_format", "remove_columns", "rename_column", "rename_columns",
        "cast_column", "cast", "class_encode_column", "flatten", "sort", "with_transform", "select_columns", "dropna", "fillna",
        "reset_index", "copy", "sample", "head", "drop", "drop_duplicates", "astype", "rename", "to_numpy", "tolist", "values",
        "batch", "take", "skip", "to_pandas", "to_list", "assign",
    };

    /// <summary>Calls that make a tensor from their argument.</summary>
    public static readonly IReadOnlySet<string> TensorMakers = new HashSet<string>(StringComparer.Ordinal)
    {
        "torch.tensor", "torch.as_tensor", "torch.LongTensor", "torch.from_numpy", "tensorflow.convert_to_tensor", "tensorflow.constant",
    };
}

/// <summary>How a split function takes its seed and its stratification.</summary>
public sealed record SplitFunction(string SeedParameter, string? StratifyParameter, bool ShufflesByDefault);
