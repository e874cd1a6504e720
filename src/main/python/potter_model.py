"""PoolAttnHR_Pose_3D (POTTER) for 3D hand pose: the Ego-Exo4D hand ego pose baseline architecture.

Written from the architecture description in the project's REFERENCE (section 3). Module names follow
the baseline's so that its checkpoints load unchanged: with the ``s12`` configuration ``state_dict()``
has exactly the baseline's 416 tensors (14,572,363 parameters). The ``tiny`` configuration is built by
the same code with smaller widths, depths and a coarser stem; it exists for tests and CPU demos.

Input: [N, 3, 224, 224] crops, RGB, /255, ImageNet-normalised. Output: [N, 21, 3], the normalised
wrist-relative pose (un-normalise with the joint tables of ``joint_tables.py``).
Everything is TorchScript-compatible (``torch.jit.script``).
"""
from dataclasses import asdict, dataclass
from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import nn

# The embed-wise pooling attention views the channels as this many groups.
EMBED_GROUPS = 32
# Adaptive pooling size of both pooling attentions.
POOL_BINS = 4


@dataclass(frozen=True)
class PotterConfig:
    """Widths and depths of one POTTER variant."""

    name: str
    layers: Tuple[int, int, int, int]  # blocks per backbone stage
    embed_dims: Tuple[int, int, int, int]  # channels per stage (multiples of EMBED_GROUPS)
    mlp_ratios: Tuple[int, int, int, int]
    hr_layers: Tuple[int, int, int]  # blocks of the three HR-stream stages
    hr_mlp_ratios: Tuple[int, int, int]
    stem_stride: int  # stem conv is 7x7 with this stride
    stem_padding: int
    down_strides: Tuple[int, int, int]  # strides of the three 3x3 downsampling convs
    head_width: int  # channels of the 1x1 conv after the HR stream
    depth_dim: int  # depth bins of the volumetric heatmap
    head_hidden: int  # hidden width of the final MLP
    num_joints: int = 21
    image_size: int = 224

    def feature_size(self) -> int:
        """Side of the HR stream's feature map (56 for s12)."""
        return (self.image_size + 2 * self.stem_padding - 7) // self.stem_stride + 1

    def to_json(self) -> dict:
        return asdict(self)


# The benchmark's model: POTTER_cls s12 backbone, HR stream blocks 2,2,4 (mlp ratios 2,2,4), depth 56.
S12 = PotterConfig(
    name="s12",
    layers=(2, 2, 6, 2),
    embed_dims=(64, 128, 320, 512),
    mlp_ratios=(4, 4, 4, 4),
    hr_layers=(2, 2, 4),
    hr_mlp_ratios=(2, 2, 4),
    stem_stride=4,
    stem_padding=2,
    down_strides=(2, 2, 2),
    head_width=256,
    depth_dim=56,
    head_hidden=512,
)

# Same code, about 65x fewer multiply-accumulates: a stride-8 stem puts the HR stream at 28x28, and
# the last downsampling keeps 7x7 (stride 1) so that the patch splits still line up.
TINY = PotterConfig(
    name="tiny",
    layers=(1, 1, 1, 1),
    embed_dims=(32, 32, 64, 96),
    mlp_ratios=(2, 2, 2, 2),
    hr_layers=(1, 1, 1),
    hr_mlp_ratios=(2, 2, 2),
    stem_stride=8,
    stem_padding=3,
    down_strides=(2, 2, 1),
    head_width=32,
    depth_dim=16,
    head_hidden=128,
)

CONFIGS = {c.name: c for c in (S12, TINY)}


def group_norm(channels: int) -> nn.GroupNorm:
    """Every norm of the model: one group over C, H, W together, per-channel affine."""
    return nn.GroupNorm(1, channels, eps=1e-5)


class ConvEmbed(nn.Module):
    """A strided convolution that changes resolution and width (stem and downsampling)."""

    def __init__(self, in_ch: int, out_ch: int, kernel: int, stride: int, padding: int):
        super().__init__()
        self.proj = nn.Conv2d(in_ch, out_ch, kernel, stride=stride, padding=padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x)


class PoolAttn(nn.Module):
    """Patch-wise and embed-wise pooling attention."""

    def __init__(self, dim: int):
        super().__init__()
        if dim % EMBED_GROUPS != 0:
            raise ValueError(f"PoolAttn width {dim} is not a multiple of {EMBED_GROUPS}")
        self.bins = POOL_BINS
        self.groups = EMBED_GROUPS
        self.norm = group_norm(dim)
        self.proj0 = nn.Conv2d(dim, dim, 3, padding=1, groups=dim)
        self.proj1 = nn.Conv2d(dim, dim, 3, padding=1, groups=dim)
        self.proj2 = nn.Conv2d(dim, dim, 3, padding=1, groups=dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        # Patch-wise: [C,H,4] @ [C,4,W] -> [C,H,W].
        rows = F.adaptive_avg_pool2d(x, [h, self.bins])
        cols = F.adaptive_avg_pool2d(x, [self.bins, w])
        patch = self.proj0(torch.matmul(rows, cols))
        # Embed-wise: at each position, channels as [groups, C/groups].
        per_group = c // self.groups
        tokens = x.reshape(n, c, h * w).transpose(1, 2).reshape(n, h * w, self.groups, per_group)
        within = F.adaptive_avg_pool2d(tokens, [self.groups, self.bins])
        across = F.adaptive_avg_pool2d(tokens, [self.bins, per_group])
        embed = torch.matmul(within, across).reshape(n, h * w, c).transpose(1, 2).reshape(n, c, h, w)
        embed = self.proj1(embed)
        return self.proj2(self.norm(patch + embed))


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Conv2d(dim, hidden, 1)
        self.act = nn.GELU()
        self.fc2 = nn.Conv2d(hidden, dim, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class PoolAttnBlock(nn.Module):
    """x + ls1 * PoolAttn(GN(x)), then x + ls2 * Mlp(GN(x))."""

    def __init__(self, dim: int, mlp_ratio: int):
        super().__init__()
        self.norm1 = group_norm(dim)
        self.token_mixer = PoolAttn(dim)
        self.norm2 = group_norm(dim)
        self.mlp = Mlp(dim, dim * mlp_ratio)
        self.layer_scale_1 = nn.Parameter(torch.full((dim,), 1e-5))
        self.layer_scale_2 = nn.Parameter(torch.full((dim,), 1e-5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.layer_scale_1.reshape(1, -1, 1, 1) * self.token_mixer(self.norm1(x))
        return x + self.layer_scale_2.reshape(1, -1, 1, 1) * self.mlp(self.norm2(x))


def blocks(dim: int, depth: int, mlp_ratio: int) -> nn.Sequential:
    return nn.Sequential(*[PoolAttnBlock(dim, mlp_ratio) for _ in range(depth)])


class Backbone(nn.Module):
    """POTTER_cls in feature mode: four stages, each output through its own norm (norm0,2,4,6)."""

    def __init__(self, cfg: PotterConfig):
        super().__init__()
        d = cfg.embed_dims
        self.patch_embed = ConvEmbed(3, d[0], 7, cfg.stem_stride, cfg.stem_padding)
        stages: List[nn.Module] = []
        for i in range(4):
            stages.append(blocks(d[i], cfg.layers[i], cfg.mlp_ratios[i]))
            if i < 3:
                stages.append(ConvEmbed(d[i], d[i + 1], 3, cfg.down_strides[i], 1))
        self.network = nn.ModuleList(stages)
        self.norm0 = group_norm(d[0])
        self.norm2 = group_norm(d[1])
        self.norm4 = group_norm(d[2])
        self.norm6 = group_norm(d[3])

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        x = self.network[0](self.patch_embed(x))
        f0 = self.norm0(x)
        x = self.network[2](self.network[1](x))
        f1 = self.norm2(x)
        x = self.network[4](self.network[3](x))
        f2 = self.norm4(x)
        x = self.network[6](self.network[5](x))
        f3 = self.norm6(x)
        return f0, f1, f2, f3


class PatchSplit(nn.Module):
    """Nearest upsampling by the stride, then a 3x3 conv, then (optionally) a norm."""

    def __init__(self, stride: int, in_ch: int, out_ch: int, norm: bool):
        super().__init__()
        self.stride = stride
        self.proj = nn.Conv2d(in_ch, out_ch, 3, padding=1)
        self.norm = group_norm(out_ch) if norm else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride > 1:
            x = F.interpolate(x, scale_factor=float(self.stride), mode="nearest")
        return self.norm(self.proj(x))


class HRStream(nn.Module):
    """Fuses the coarse stages back into the finest resolution, stage by stage."""

    def __init__(self, cfg: PotterConfig):
        super().__init__()
        d, s = cfg.embed_dims, cfg.down_strides
        self.patch_emb1 = PatchSplit(s[0], d[1], d[0], norm=False)
        self.Block1 = blocks(d[0], cfg.hr_layers[0], cfg.hr_mlp_ratios[0])
        self.patch_emb2 = nn.Sequential(
            PatchSplit(s[1], d[2], d[1], norm=True),
            PatchSplit(s[0], d[1], d[0], norm=False),
        )
        self.Block2 = blocks(d[0], cfg.hr_layers[1], cfg.hr_mlp_ratios[1])
        self.patch_emb3 = nn.Sequential(
            PatchSplit(s[2], d[3], d[2], norm=True),
            PatchSplit(s[1], d[2], d[1], norm=True),
            PatchSplit(s[0], d[1], d[0], norm=False),
        )
        self.Block3 = blocks(d[0], cfg.hr_layers[2], cfg.hr_mlp_ratios[2])

    def forward(self, f0: torch.Tensor, f1: torch.Tensor, f2: torch.Tensor, f3: torch.Tensor) -> torch.Tensor:
        h = self.Block1(self.patch_emb1(f1) + f0)
        h = self.Block2(self.patch_emb2(f2) + h)
        return self.Block3(self.patch_emb3(f3) + h)


class PoolAttnFormerHR(nn.Module):
    """Backbone + HR stream + final norm. ``norm3`` belongs to the baseline's checkpoint: the baseline
    applies it to the coarsest stage and discards the result, so it is kept here but not evaluated."""

    def __init__(self, cfg: PotterConfig):
        super().__init__()
        self.poolattn_cls = Backbone(cfg)
        self.stage1 = HRStream(cfg)
        self.norm0 = group_norm(cfg.embed_dims[0])
        self.norm3 = group_norm(cfg.embed_dims[3])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f0, f1, f2, f3 = self.poolattn_cls(x)
        return self.norm0(self.stage1(f0, f1, f2, f3))


class PoolAttnHRPose3D(nn.Module):
    """The whole model: features -> volumetric heatmap -> three 1D profiles per joint -> MLP -> xyz."""

    def __init__(self, cfg: PotterConfig):
        super().__init__()
        j, depth = cfg.num_joints, cfg.depth_dim
        side = cfg.feature_size()
        self.num_joints = j
        self.depth_dim = depth
        self.poolattnformer_pose = PoolAttnFormerHR(cfg)
        self.norm1 = group_norm(cfg.head_width)
        self.up_sample = nn.Sequential(nn.Conv2d(cfg.embed_dims[0], cfg.head_width, 1), nn.GELU())
        self.final_layer = nn.Conv2d(cfg.head_width, j * depth, 1)
        self.pose_layer = nn.Sequential(
            nn.Conv3d(j, j, 1),
            nn.GELU(),
            nn.GroupNorm(j, j),
            nn.Conv3d(j, j, 1),
        )
        self.pose_3d_head = nn.Sequential(
            nn.Linear(depth + 2 * side, cfg.head_hidden),
            nn.ReLU(),
            nn.GroupNorm(j, j),
            nn.Linear(cfg.head_hidden, 3),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feat = self.poolattnformer_pose(x)
        out = self.final_layer(self.norm1(self.up_sample(feat)))
        n, _, h, w = out.shape
        vol = self.pose_layer(out.reshape(n, self.num_joints, self.depth_dim, h, w))
        along_w = vol.sum((2, 3))
        along_h = vol.sum((2, 4))
        along_d = vol.sum((3, 4))
        return self.pose_3d_head(torch.cat((along_w, along_h, along_d), 2))


def build(cfg: PotterConfig) -> PoolAttnHRPose3D:
    return PoolAttnHRPose3D(cfg).eval()


def count_macs(model: nn.Module, image_size: int = 224) -> int:
    """Multiply-accumulates of one forward pass of one crop, counted over every conv and linear layer
    (the pooling-attention matmuls and norms are left out; they are small beside the convolutions)."""
    total = [0]

    def hook(module: nn.Module, inputs, output):
        weight = module.weight
        if isinstance(module, nn.Linear):
            positions = output.numel() // output.shape[-1]
        else:
            positions = output[0, 0].numel()
        total[0] += weight.numel() * positions

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Conv3d, nn.Linear))]
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, image_size, image_size))
    finally:
        for handle in handles:
            handle.remove()
    return total[0]
