"""Exact rewrites of a loaded PoolAttnHR_Pose_3D for export: the same function, computed with less work.

The reference module (``potter_model``) keeps the baseline's 416-tensor state_dict, so checkpoints load
into it unchanged; ``rewrite`` then builds a new module from its weights:

- pools: each adaptive 4-bin average pool of the embed-wise pooling attention becomes a product with a
  constant averaging matrix built from adaptive pooling's own bins (start floor(i*L/4), end
  ceil((i+1)*L/4)), so overlapping and repeated bins of non-divisible lengths are the same; the
  channel groups are pooled in place ([N, 32, C/32, HW]) instead of after a transpose to tokens.
- splits: each PatchSplit's nearest x2 upsampling followed by a 3x3 conv becomes one 2x2 conv at the
  coarse resolution: an output pixel of phase (p, q) (row parity p, column parity q) sees only 2 x 2
  distinct coarse pixels, so its 3x3 kernel sums into a 2x2 one; the four phases come out of one conv
  with 4x the output channels and are interleaved. 4 instead of 9 multiply-accumulates per output and
  input channel, and no upsampled copy of the input.
- head: ``final_layer`` (1x1 conv to J*D channels) and the first 1x1x1 Conv3d (J -> J per voxel) have
  nothing between them, so they compose into one 1x1 conv. After GELU, GroupNorm(J, J) is per joint
  (statistics over the whole D x H x W volume) and everything after it up to the three marginal sums
  is affine per voxel, so the sums are taken of the GELU output and the normalisation, its affine and
  the last Conv3d are applied to the 3 x 56 sums instead of the 56^3 volume: for a sum over ``count``
  voxels, sum(gamma * (u - mean) / sigma + beta) = gamma / sigma * sum(u - mean) + count * beta.

The result is TorchScript-compatible and dtype-generic (``.half()`` works; the head's volume is
centred in float32).
"""
import copy

import torch
import torch.nn.functional as F
from torch import nn

import potter_model


def averaging_matrix(length: int, bins: int) -> torch.Tensor:
    """[length, bins]: column i averages adaptive pooling's bin i, [floor(i*L/B), ceil((i+1)*L/B))."""
    matrix = torch.zeros(length, bins, dtype=torch.float64)
    for i in range(bins):
        start = (i * length) // bins
        end = -(-((i + 1) * length) // bins)
        matrix[start:end, i] = 1.0 / (end - start)
    return matrix.float()


class MatmulPoolAttn(nn.Module):
    """PoolAttn whose embed-wise pools are products with constant averaging matrices."""

    def __init__(self, attn: potter_model.PoolAttn):
        super().__init__()
        self.bins = attn.bins
        self.groups = attn.groups
        self.norm = attn.norm
        self.proj0 = attn.proj0
        self.proj1 = attn.proj1
        self.proj2 = attn.proj2
        per_group = attn.proj1.in_channels // attn.groups
        # [4, C/32]: pools the within-group axis; [4, 32]: pools the group axis.
        self.register_buffer("pool_within", averaging_matrix(per_group, attn.bins).t().contiguous())
        self.register_buffer("pool_across", averaging_matrix(attn.groups, attn.bins).t().contiguous())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        rows = F.adaptive_avg_pool2d(x, [h, self.bins])
        cols = F.adaptive_avg_pool2d(x, [self.bins, w])
        patch = self.proj0(torch.matmul(rows, cols))
        # Channels c = g * (C/32) + p, positions s: x as [N, 32, C/32, HW] is a view.
        per_group = c // self.groups
        grouped = x.reshape(n, self.groups, per_group, h * w)
        within = torch.matmul(self.pool_within, grouped)  # [N, 32, 4, HW]
        across = torch.matmul(self.pool_across, x.reshape(n, self.groups, per_group * h * w))
        across = across.reshape(n, self.bins, per_group, h * w)  # [N, 4, C/32, HW]
        # At each position, [32, 4] @ [4, C/32], as a sum over the 4 bins of outer products.
        embed = (within.unsqueeze(3) * across.unsqueeze(1)).sum(2).reshape(n, c, h, w)
        return self.proj2(self.norm(patch + self.proj1(embed)))


# For output row parity p: which of the 3x3 kernel's rows fall on the 2 coarse rows it sees
# (p = 0: rows above and at the pixel; p = 1: at and below).
_PHASE_TAPS = [[[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]], [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]]


class SubpixelPatchSplit(nn.Module):
    """PatchSplit with stride 2 (nearest x2, 3x3 conv, optional norm) as a 2x2 conv on the coarse map."""

    def __init__(self, split: potter_model.PatchSplit):
        super().__init__()
        kernel = split.proj.weight.double()
        out_ch, in_ch = kernel.shape[0], kernel.shape[1]
        taps = torch.tensor(_PHASE_TAPS, dtype=torch.float64)  # [parity, coarse tap, kernel tap]
        with torch.no_grad():
            weight = torch.einsum("psk,oikl,qtl->pqoist", taps, kernel, taps).reshape(4 * out_ch, in_ch, 2, 2)
        # Channel (2p + q) * out_ch + o is phase (p, q) of output channel o; padding 1 gives each phase
        # its window: rows [p, p + H), columns [q, q + W) of the (H + 1) x (W + 1) result.
        self.proj = nn.Conv2d(in_ch, 4 * out_ch, 2, padding=1)
        self.proj.weight = nn.Parameter(weight.float())
        self.proj.bias = nn.Parameter(split.proj.bias.detach().repeat(4).clone())
        self.norm = split.norm

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, h, w = x.shape
        y = self.proj(x)
        out_ch = y.shape[1] // 4
        y = y.reshape(n, 2, 2, out_ch, h + 1, w + 1)
        top = torch.stack((y[:, 0, 0, :, :h, :w], y[:, 0, 1, :, :h, 1:]), -1)
        bottom = torch.stack((y[:, 1, 0, :, 1:, :w], y[:, 1, 1, :, 1:, 1:]), -1)
        # [N, C, H, 2, W, 2]: row 2a + p, column 2b + q.
        return self.norm(torch.stack((top, bottom), 3).reshape(n, out_ch, 2 * h, 2 * w))


class FoldedHead(nn.Module):
    """final_layer + pose_layer + marginal sums, with the linear parts composed or moved after the sums."""

    def __init__(self, model: potter_model.PoolAttnHRPose3D, side: int):
        super().__init__()
        j, d = model.num_joints, model.depth_dim
        self.num_joints = j
        self.depth_dim = d
        first, gelu, norm, last = model.pose_layer
        with torch.no_grad():
            final_w = model.final_layer.weight.double().reshape(j, d, -1)
            final_b = model.final_layer.bias.double().reshape(j, d)
            mix_in = first.weight.double().reshape(j, j)
            weight = torch.einsum("ij,jdk->idk", mix_in, final_w).reshape(j * d, -1, 1, 1)
            bias = torch.einsum("ij,jd->id", mix_in, final_b) + first.bias.double()[:, None]
        self.volume = nn.Conv2d(model.final_layer.in_channels, j * d, 1)
        self.volume.weight = nn.Parameter(weight.float())
        self.volume.bias = nn.Parameter(bias.reshape(j * d).float())
        self.act = gelu
        self.eps = norm.eps
        self.norm_weight = nn.Parameter(norm.weight.detach().clone())
        self.norm_bias = nn.Parameter(norm.bias.detach().clone())
        self.mix_weight = nn.Parameter(last.weight.detach().reshape(j, j).clone())
        self.mix_bias = nn.Parameter(last.bias.detach().clone())
        # Voxels behind each entry of the concatenated profiles [along W | along H | along D].
        counts = [float(d * side)] * side + [float(d * side)] * side + [float(side * side)] * d
        self.register_buffer("counts", torch.tensor(counts))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        n, _, h, w = z.shape
        u = self.act(self.volume(z)).reshape(n, self.num_joints, self.depth_dim, h, w)
        # Centred first: the profiles and the sum of squares of u - mean carry no cancellation however
        # far the mean is from zero. (libtorch's var_mean over the volume was slower than these reductions.)
        centred = u - u.mean([2, 3, 4], keepdim=True, dtype=torch.float32)
        over_d = centred.sum(2)
        sums = torch.cat((over_d.sum(2), over_d.sum(3), centred.sum([3, 4])), 2)
        root_sum_sq = torch.linalg.vector_norm(centred, 2.0, dim=[2, 3, 4]).reshape(n, self.num_joints, 1)
        var = root_sum_sq * root_sum_sq / float(self.depth_dim * h * w)
        scale = self.norm_weight.float()[:, None] * torch.rsqrt(var + self.eps)
        normed = scale * sums + self.counts.float() * self.norm_bias.float()[:, None]
        return torch.matmul(self.mix_weight, normed.to(z.dtype)) + self.counts * self.mix_bias[:, None]


class RewrittenPose3D(nn.Module):
    """The same function as PoolAttnHRPose3D, built from its weights by ``rewrite``."""

    def __init__(self, model: potter_model.PoolAttnHRPose3D, head: nn.Module):
        super().__init__()
        self.poolattnformer_pose = model.poolattnformer_pose
        self.up_sample = model.up_sample
        self.norm1 = model.norm1
        self.head = head
        self.pose_3d_head = model.pose_3d_head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.norm1(self.up_sample(self.poolattnformer_pose(x)))
        return self.pose_3d_head(self.head(z))


def rewrite(model: potter_model.PoolAttnHRPose3D, cfg: potter_model.PotterConfig,
            pools: bool = True, splits: bool = True, head: bool = True) -> nn.Module:
    """A new module computing what ``model`` computes (its weights copied, ``model`` untouched)."""
    model = copy.deepcopy(model).eval()
    if pools:
        for block in model.modules():
            if isinstance(block, potter_model.PoolAttnBlock):
                block.token_mixer = MatmulPoolAttn(block.token_mixer)
    if splits:
        stream = model.poolattnformer_pose.stage1
        stream.patch_emb1 = subpixel(stream.patch_emb1)
        for seq in (stream.patch_emb2, stream.patch_emb3):
            for i, split in enumerate(seq):
                seq[i] = subpixel(split)
    if not head:
        return model
    return RewrittenPose3D(model, FoldedHead(model, cfg.feature_size())).eval()


def subpixel(split: potter_model.PatchSplit) -> nn.Module:
    return SubpixelPatchSplit(split) if split.stride == 2 else split
