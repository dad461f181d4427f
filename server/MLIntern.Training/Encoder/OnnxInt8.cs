using System.Buffers.Binary;
using System.Text;

namespace MLIntern.Training.Encoder;

/// <summary>What <see cref="OnnxInt8.Rewrite"/> did.</summary>
/// <param name="Model">The rewritten model's bytes, or the input itself when nothing was rewritten.</param>
/// <param name="Quantized">MatMuls replaced by com.microsoft DynamicQuantizeMatMul.</param>
/// <param name="BiasesFused">Of those, how many took the Add after them in as their bias.</param>
/// <param name="Kept">MatMuls left in fp32 (activation × activation, a weight of a shape not handled, or a narrowing weight kept on purpose).</param>
/// <param name="Reason">Why nothing was rewritten (null when something was).</param>
public sealed record OnnxInt8Result(byte[] Model, int Quantized, int BiasesFused, int Kept, string? Reason);

/// <summary>
/// Dynamic int8 quantization of an ONNX model's weight MatMuls, on the bytes alone: every MatMul whose second input
/// is a rank-2 float initializer [K, N] becomes ONNX Runtime's contrib op <c>com.microsoft:DynamicQuantizeMatMul</c>
/// (the activation is quantized to uint8 per call, per tensor; the weight once, here, to int8, symmetric, one scale
/// per output column, zero point 0), and an Add of a float [N] initializer right after it becomes the op's bias.
/// Everything else — embeddings (Gather), attention's activation × activation MatMuls, LayerNorm, GELU — stays fp32,
/// and by default so do the <em>narrowing</em> weights (K &gt; N: a transformer's feed-forward output projection,
/// 1536 → 384 in MiniLM), whose input is the GELU's long-tailed output, the activation a per-tensor uint8 range
/// fits worst: quantizing them too is faster but measurably less accurate (docs/training.md, "int8 weights").
/// Reads and writes the protobuf wire format directly, only the fields it needs (ModelProto.graph and
/// opset_import; GraphProto node, initializer, input, output; NodeProto input, output, op_type, domain;
/// TensorProto dims, data_type, name, raw_data, float_data); every other field is copied through byte for byte.
/// Never throws: bytes it cannot read, or a graph with nothing to rewrite, come back unchanged.
/// </summary>
public static class OnnxInt8
{
    /// <summary>What the rewritten weights are called in model.bin, eval.json and the card.</summary>
    public const string WeightsInt8 = "int8-dynamic";

    /// <summary>The original weights' name.</summary>
    public const string WeightsFp32 = "fp32";

    private const string ContribDomain = "com.microsoft";
    private const int Float = 1, Int8 = 3;

    // ModelProto
    private const int ModelGraph = 7, ModelOpset = 8;
    // OperatorSetIdProto
    private const int OpsetDomain = 1, OpsetVersion = 2;
    // GraphProto
    private const int GraphNode = 1, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    // NodeProto
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5, NodeDomain = 7;
    // TensorProto
    private const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorName = 8, TensorRawData = 9, TensorExternal = 13, TensorLocation = 14;
    // ValueInfoProto
    private const int ValueName = 1;

    /// <summary>
    /// Rewrites <paramref name="model"/> (see the class); never throws. <paramref name="narrowing"/>: quantize the
    /// narrowing weights (K &gt; N) too; <paramref name="keep"/>: weights [K, N] for which it says true stay fp32 (to measure other choices).
    /// </summary>
    public static OnnxInt8Result Rewrite(byte[] model, bool narrowing = false, Func<int, int, bool>? keep = null)
    {
        try
        {
            return RewriteCore(model ?? [], (k, n) => (!narrowing && k > n) || keep?.Invoke(k, n) == true);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException or InvalidOperationException)
        {
            return new OnnxInt8Result(model ?? [], 0, 0, 0, "not a readable ONNX model: " + e.Message);
        }
    }

    private static OnnxInt8Result RewriteCore(byte[] model, Func<int, int, bool> keep)
    {
        var modelFields = Wire.Read(model);
        var graphFields = modelFields.Where(f => f.Number == ModelGraph && f.Type == Wire.Bytes).ToList();
        if (graphFields.Count != 1)
        {
            return Unchanged(model, "no graph");
        }

        var graph = Wire.Read(graphFields[0].Payload);
        var nodes = new List<Node>();
        var initializers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var graphInputs = new HashSet<string>(StringComparer.Ordinal);
        var graphOutputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in graph)
        {
            switch (field.Number)
            {
                case GraphNode when field.Type == Wire.Bytes:
                    nodes.Add(Node.Parse(field.Payload));
                    break;
                case GraphInitializer when field.Type == Wire.Bytes:
                    var tensor = Tensor.Parse(field.Payload);
                    if (tensor.Name.Length > 0)
                    {
                        initializers[tensor.Name] = tensor;
                    }

                    break;
                case GraphInput when field.Type == Wire.Bytes:
                    graphInputs.Add(ValueInfoName(field.Payload));
                    break;
                case GraphOutput when field.Type == Wire.Bytes:
                    graphOutputs.Add(ValueInfoName(field.Payload));
                    break;
            }
        }

        // Who reads each value (a graph-bearing attribute may read values of this graph too: then be conservative and
        // count its node as reading everything, so nothing it could see is dropped or fused away).
        var readers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var hasSubgraphs = false;
        for (var i = 0; i < nodes.Count; i++)
        {
            hasSubgraphs |= nodes[i].HasAttributes && nodes[i].OpType is "If" or "Loop" or "Scan";
            foreach (var input in nodes[i].Inputs)
            {
                if (!readers.TryGetValue(input, out var list))
                {
                    readers[input] = list = [];
                }

                list.Add(i);
            }
        }

        var replaced = new Dictionary<int, byte[]>();
        var removed = new HashSet<int>();
        var newInitializers = new List<byte[]>();
        var quantizedWeights = new Dictionary<string, (string Q, string Scale, string Zero, int N)>(StringComparer.Ordinal);
        int quantized = 0, fused = 0, kept = 0;
        var taken = new HashSet<string>(initializers.Keys, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            taken.UnionWith(node.Outputs);
            taken.UnionWith(node.Inputs);
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node.OpType != "MatMul" || node.Domain is not ("" or "ai.onnx"))
            {
                continue;
            }

            if (hasSubgraphs || node.HasAttributes || node.Inputs.Count != 2 || node.Outputs.Count != 1
                || !initializers.TryGetValue(node.Inputs[1], out var weight) || graphInputs.Contains(weight.Name)
                || weight.DataType != Float || weight.Dims.Count != 2 || weight.External
                || weight.Dims[0] <= 0 || weight.Dims[1] <= 0 || weight.Dims[0] * weight.Dims[1] > int.MaxValue / 4
                || weight.FloatCount != weight.Dims[0] * weight.Dims[1])
            {
                kept++;
                continue;
            }

            var (k, n) = ((int)weight.Dims[0], (int)weight.Dims[1]);
            if (keep(k, n))
            {
                kept++;
                continue;
            }

            if (!quantizedWeights.TryGetValue(weight.Name, out var names))
            {
                names = (Fresh(taken, weight.Name + "_int8"), Fresh(taken, weight.Name + "_scale"), Fresh(taken, weight.Name + "_zero_point"), n);
                var (q, scales) = QuantizeColumns(weight.Floats(), k, n);
                newInitializers.Add(Tensor.Write(names.Q, Int8, [k, n], q));
                var scaleBytes = new byte[n * 4];
                for (var c = 0; c < n; c++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(scaleBytes.AsSpan(c * 4), scales[c]);
                }

                newInitializers.Add(Tensor.Write(names.Scale, Float, [n], scaleBytes));
                newInitializers.Add(Tensor.Write(names.Zero, Int8, [n], new byte[n]));
                quantizedWeights[weight.Name] = names;
            }

            // A bias: the MatMul's only reader is an Add of a float [N] initializer (either side), and its output is no graph output.
            var output = node.Outputs[0];
            string? bias = null;
            if (!graphOutputs.Contains(output) && readers.TryGetValue(output, out var outputReaders) && outputReaders.Count == 1)
            {
                var add = nodes[outputReaders[0]];
                if (add.OpType == "Add" && add.Domain is "" or "ai.onnx" && !add.HasAttributes && add.Inputs.Count == 2 && add.Outputs.Count == 1)
                {
                    var other = add.Inputs[0] == output ? add.Inputs[1] : add.Inputs[1] == output ? add.Inputs[0] : null;
                    if (other is not null && other != output && initializers.TryGetValue(other, out var b) && !graphInputs.Contains(other)
                        && b.DataType == Float && b.Dims.Count == 1 && b.Dims[0] == n && !b.External && b.FloatCount == n)
                    {
                        bias = other;
                        output = add.Outputs[0];
                        removed.Add(outputReaders[0]);
                        fused++;
                    }
                }
            }

            List<string> inputs = [node.Inputs[0], names.Q, names.Scale, names.Zero];
            if (bias is not null)
            {
                inputs.Add(bias);
            }

            replaced[i] = Node.Write(node.Name, "DynamicQuantizeMatMul", ContribDomain, inputs, [output]);
            quantized++;
        }

        if (quantized == 0)
        {
            return Unchanged(model, "no MatMul with a rank-2 float weight", kept);
        }

        // Initializers nobody reads any more (the fp32 weights) are dropped; the rest are kept as they were.
        var stillRead = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (!removed.Contains(i) && !replaced.ContainsKey(i))
            {
                stillRead.UnionWith(nodes[i].Inputs);
            }
        }

        foreach (var bytes in replaced.Values)
        {
            stillRead.UnionWith(Node.Parse(bytes).Inputs);
        }

        var graphOut = new Wire.Writer(model.Length);
        var nodeIndex = 0;
        foreach (var field in graph)
        {
            if (field.Number == GraphNode && field.Type == Wire.Bytes)
            {
                var index = nodeIndex++;
                if (removed.Contains(index))
                {
                    continue;
                }

                if (replaced.TryGetValue(index, out var bytes))
                {
                    graphOut.WriteBytes(GraphNode, bytes);
                    continue;
                }
            }
            else if (field.Number == GraphInitializer && field.Type == Wire.Bytes)
            {
                var name = Tensor.Parse(field.Payload).Name;
                if (quantizedWeights.ContainsKey(name) && !stillRead.Contains(name) && !graphOutputs.Contains(name))
                {
                    continue;
                }
            }

            graphOut.WriteField(field);
        }

        foreach (var tensor in newInitializers)
        {
            graphOut.WriteBytes(GraphInitializer, tensor);
        }

        var modelOut = new Wire.Writer(model.Length);
        var hasContrib = false;
        foreach (var field in modelFields)
        {
            if (field.Number == ModelOpset && field.Type == Wire.Bytes)
            {
                hasContrib |= Wire.Read(field.Payload).Any(f => f.Number == OpsetDomain && f.Type == Wire.Bytes && Encoding.UTF8.GetString(f.Payload.Span) == ContribDomain);
            }
        }

        foreach (var field in modelFields)
        {
            if (field.Number == ModelGraph && field.Type == Wire.Bytes)
            {
                modelOut.WriteBytes(ModelGraph, graphOut.ToArray());
                continue;
            }

            modelOut.WriteField(field);
        }

        if (!hasContrib)
        {
            var opset = new Wire.Writer();
            opset.WriteString(OpsetDomain, ContribDomain);
            opset.WriteVarint(OpsetVersion, 1);
            modelOut.WriteBytes(ModelOpset, opset.ToArray());
        }

        return new OnnxInt8Result(modelOut.ToArray(), quantized, fused, kept, null);
    }

    /// <summary>
    /// Symmetric int8 per output column: scale[c] = max |W[·, c]| / 127, q = round-half-even(W / scale) in [-127, 127],
    /// zero point 0 (a column of zeros gets scale 1).
    /// </summary>
    internal static (byte[] Values, float[] Scales) QuantizeColumns(float[] weight, int k, int n)
    {
        var scales = new float[n];
        for (var r = 0; r < k; r++)
        {
            var row = weight.AsSpan(r * n, n);
            for (var c = 0; c < n; c++)
            {
                scales[c] = Math.Max(scales[c], Math.Abs(row[c]));
            }
        }

        var inverse = new float[n];
        for (var c = 0; c < n; c++)
        {
            scales[c] = scales[c] > 0 && float.IsFinite(scales[c]) ? scales[c] / 127f : 1f;
            inverse[c] = 1f / scales[c];
        }

        var values = new byte[k * n];
        for (var r = 0; r < k; r++)
        {
            var row = weight.AsSpan(r * n, n);
            for (var c = 0; c < n; c++)
            {
                var q = MathF.Round(row[c] * inverse[c], MidpointRounding.ToEven);
                values[(r * n) + c] = (byte)(sbyte)Math.Clamp(float.IsNaN(q) ? 0 : q, -127f, 127f);
            }
        }

        return (values, scales);
    }

    private static OnnxInt8Result Unchanged(byte[] model, string reason, int kept = 0) => new(model, 0, 0, kept, reason);

    private static string Fresh(HashSet<string> taken, string name)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }

    private static string ValueInfoName(ReadOnlyMemory<byte> bytes)
    {
        var name = Wire.Read(bytes).LastOrDefault(f => f.Number == ValueName && f.Type == Wire.Bytes);
        return name.Payload.IsEmpty ? "" : Encoding.UTF8.GetString(name.Payload.Span);
    }

    private sealed record Node(string Name, string OpType, string Domain, List<string> Inputs, List<string> Outputs, bool HasAttributes)
    {
        public static Node Parse(ReadOnlyMemory<byte> bytes)
        {
            string name = "", opType = "", domain = "";
            List<string> inputs = [], outputs = [];
            var attributes = false;
            foreach (var f in Wire.Read(bytes))
            {
                if (f.Type != Wire.Bytes)
                {
                    continue;
                }

                switch (f.Number)
                {
                    case NodeInput: inputs.Add(Encoding.UTF8.GetString(f.Payload.Span)); break;
                    case NodeOutput: outputs.Add(Encoding.UTF8.GetString(f.Payload.Span)); break;
                    case NodeName: name = Encoding.UTF8.GetString(f.Payload.Span); break;
                    case NodeOpType: opType = Encoding.UTF8.GetString(f.Payload.Span); break;
                    case NodeDomain: domain = Encoding.UTF8.GetString(f.Payload.Span); break;
                    case NodeAttribute: attributes = true; break;
                }
            }

            return new Node(name, opType, domain, inputs, outputs, attributes);
        }

        public static byte[] Write(string name, string opType, string domain, List<string> inputs, List<string> outputs)
        {
            var w = new Wire.Writer();
            inputs.ForEach(x => w.WriteString(NodeInput, x));
            outputs.ForEach(x => w.WriteString(NodeOutput, x));
            if (name.Length > 0)
            {
                w.WriteString(NodeName, name);
            }

            w.WriteString(NodeOpType, opType);
            w.WriteString(NodeDomain, domain);
            return w.ToArray();
        }
    }

    private sealed record Tensor(string Name, int DataType, List<long> Dims, ReadOnlyMemory<byte> Raw, List<ReadOnlyMemory<byte>> FloatData, bool External)
    {
        /// <summary>Floats the tensor holds (raw_data or float_data), -1 when neither is well formed.</summary>
        public long FloatCount
        {
            get
            {
                if (!Raw.IsEmpty)
                {
                    return FloatData.Count == 0 && Raw.Length % 4 == 0 ? Raw.Length / 4 : -1;
                }

                long count = 0;
                foreach (var chunk in FloatData)
                {
                    if (chunk.Length % 4 != 0)
                    {
                        return -1;
                    }

                    count += chunk.Length / 4;
                }

                return count;
            }
        }

        public float[] Floats()
        {
            var result = new float[FloatCount];
            var at = 0;
            foreach (var chunk in Raw.IsEmpty ? FloatData : new List<ReadOnlyMemory<byte>> { Raw })
            {
                var span = chunk.Span;
                if (BitConverter.IsLittleEndian)
                {
                    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(span).CopyTo(result.AsSpan(at));
                    at += span.Length / 4;
                    continue;
                }

                for (var i = 0; i + 4 <= span.Length; i += 4)
                {
                    result[at++] = BinaryPrimitives.ReadSingleLittleEndian(span[i..]);
                }
            }

            return result;
        }

        public static Tensor Parse(ReadOnlyMemory<byte> bytes)
        {
            string name = "";
            var dataType = 0;
            List<long> dims = [];
            ReadOnlyMemory<byte> raw = default;
            List<ReadOnlyMemory<byte>> floats = [];
            var external = false;
            foreach (var f in Wire.Read(bytes))
            {
                switch (f.Number)
                {
                    case TensorDims when f.Type == Wire.Varint: dims.Add((long)f.Value); break;
                    case TensorDims when f.Type == Wire.Bytes: dims.AddRange(Wire.PackedVarints(f.Payload).Select(v => (long)v)); break;
                    case TensorDataType when f.Type == Wire.Varint: dataType = (int)f.Value; break;
                    case TensorFloatData when f.Type == Wire.Bytes: floats.Add(f.Payload); break;
                    case TensorFloatData when f.Type == Wire.Fixed32: floats.Add(f.Payload); break;
                    case TensorName when f.Type == Wire.Bytes: name = Encoding.UTF8.GetString(f.Payload.Span); break;
                    case TensorRawData when f.Type == Wire.Bytes: raw = f.Payload; break;
                    case TensorExternal: external = true; break;
                    case TensorLocation when f.Type == Wire.Varint: external |= f.Value != 0; break;
                }
            }

            return new Tensor(name, dataType, dims, raw, floats, external);
        }

        public static byte[] Write(string name, int dataType, long[] dims, byte[] raw)
        {
            var w = new Wire.Writer();
            foreach (var d in dims)
            {
                w.WriteVarint(TensorDims, (ulong)d);
            }

            w.WriteVarint(TensorDataType, (ulong)dataType);
            w.WriteString(TensorName, name);
            w.WriteBytes(TensorRawData, raw);
            return w.ToArray();
        }
    }

    /// <summary>The protobuf wire format: fields as they are on the wire, and a writer.</summary>
    private static class Wire
    {
        public const int Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5;

        /// <summary>One field: its number, wire type, value (varint) or payload (the bytes of a length-delimited or fixed field).</summary>
        public readonly record struct Field(int Number, int Type, ulong Value, ReadOnlyMemory<byte> Payload);

        public static List<Field> Read(ReadOnlyMemory<byte> bytes)
        {
            var fields = new List<Field>();
            var span = bytes.Span;
            var at = 0;
            while (at < span.Length)
            {
                var key = ReadVarint(span, ref at);
                var (number, type) = ((int)(key >> 3), (int)(key & 7));
                if (number <= 0 || key >> 3 > int.MaxValue)
                {
                    throw new FormatException("bad field number");
                }

                switch (type)
                {
                    case Varint:
                        fields.Add(new Field(number, type, ReadVarint(span, ref at), default));
                        break;
                    case Fixed64:
                        Need(span, at, 8);
                        fields.Add(new Field(number, type, 0, bytes.Slice(at, 8)));
                        at += 8;
                        break;
                    case Fixed32:
                        Need(span, at, 4);
                        fields.Add(new Field(number, type, 0, bytes.Slice(at, 4)));
                        at += 4;
                        break;
                    case Bytes:
                        var length = ReadVarint(span, ref at);
                        if (length > (ulong)(span.Length - at))
                        {
                            throw new FormatException("truncated field");
                        }

                        fields.Add(new Field(number, type, 0, bytes.Slice(at, (int)length)));
                        at += (int)length;
                        break;
                    default:
                        throw new FormatException($"wire type {type} not handled");
                }
            }

            return fields;
        }

        public static IEnumerable<ulong> PackedVarints(ReadOnlyMemory<byte> bytes)
        {
            var values = new List<ulong>();
            var at = 0;
            while (at < bytes.Length)
            {
                values.Add(ReadVarint(bytes.Span, ref at));
            }

            return values;
        }

        private static void Need(ReadOnlySpan<byte> span, int at, int count)
        {
            if (span.Length - at < count)
            {
                throw new FormatException("truncated field");
            }
        }

        private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int at)
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (at >= span.Length)
                {
                    throw new FormatException("truncated varint");
                }

                var b = span[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("varint too long");
        }

        public sealed class Writer
        {
            private readonly MemoryStream buffer;

            public Writer(int capacity = 0) => buffer = new MemoryStream(capacity);

            public void WriteField(Field field)
            {
                switch (field.Type)
                {
                    case Varint: WriteVarint(field.Number, field.Value); break;
                    case Bytes: WriteBytes(field.Number, field.Payload.Span); break;
                    default:
                        Key(field.Number, field.Type);
                        buffer.Write(field.Payload.Span);
                        break;
                }
            }

            public void WriteVarint(int number, ulong value)
            {
                Key(number, Varint);
                Raw(value);
            }

            public void WriteString(int number, string value) => WriteBytes(number, Encoding.UTF8.GetBytes(value));

            public void WriteBytes(int number, ReadOnlySpan<byte> payload)
            {
                Key(number, Bytes);
                Raw((ulong)payload.Length);
                buffer.Write(payload);
            }

            public byte[] ToArray() => buffer.ToArray();

            private void Key(int number, int type) => Raw(((ulong)number << 3) | (uint)type);

            private void Raw(ulong value)
            {
                while (value >= 0x80)
                {
                    buffer.WriteByte((byte)(value | 0x80));
                    value >>= 7;
                }

                buffer.WriteByte((byte)value);
            }
        }
    }
}
